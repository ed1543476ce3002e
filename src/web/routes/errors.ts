/** Thrown by a handler for a missing resource; the error handler turns it into a 404 page or JSON. */
export class NotFound extends Error {
  override readonly name = 'NotFound';
  readonly status = 404;
}
