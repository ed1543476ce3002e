/**
 * The remote address of a request, as the listener saw it, for the token-guess limits and the
 * audit trail. A request built in a test (`app.handle`) has none and counts as 'local'.
 */
const clients = new WeakMap<Request, string>();

export function rememberClient(request: Request, address: string): void {
  clients.set(request, address);
}

export function clientAddress(request: Request): string {
  return clients.get(request) ?? 'local';
}
