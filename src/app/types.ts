/** Who asked for a command: every command is audited with this. */
export interface CommandSource {
  readonly channel: 'web' | 'telegram' | 'cli' | 'system';
  /** The user id, 'token', or the component. */
  readonly principal: string;
}

/** What a command did, in words an operator can act on. */
export interface CommandResult {
  readonly ok: boolean;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export type TradingStateView = { readonly kind: 'ACTIVE' } | { readonly kind: 'COOLDOWN'; readonly until: number } | { readonly kind: 'HALTED'; readonly reason: string } | { readonly kind: 'PAUSED' };
