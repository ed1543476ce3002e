/**
 * The second tap of an emergency flatten. `/flatten` issues a one-time nonce bound to the user
 * and chat that asked; the button carries it. A nonce is good once, for `ttlMs`, for that user
 * in that chat: a double tap, a stale button, a button from before a restart (nonces live in
 * memory on purpose: a restart forgets every pending confirmation) or someone else's tap cannot
 * trigger a flatten. Time comes from the injected clock so expiry is testable.
 */

export const CONFIRM_TTL_MS = 60_000;
/** How long a used or expired nonce is remembered, to say "already handled" rather than "unknown". */
const REMEMBER_MS = 10 * 60_000;

export type ConfirmOutcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'expired' }
  | { readonly kind: 'used'; readonly as: 'confirmed' | 'cancelled' | 'expired' }
  | { readonly kind: 'wrong_user' };

interface Pending {
  readonly userId: number;
  readonly chatId: number;
  readonly issuedAt: number;
  used: 'confirmed' | 'cancelled' | 'expired' | null;
}

export class FlattenConfirmations {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = CONFIRM_TTL_MS,
  ) {}

  /** A new nonce for `userId` in `chatId`: 16 random bytes, unguessable and short enough for callback data. */
  issue(userId: number, chatId: number): string {
    this.prune();
    const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
    this.pending.set(nonce, { userId, chatId, issuedAt: this.now(), used: null });
    return nonce;
  }

  /**
   * Spends the nonce for `action` if this user may: synchronous check-and-mark, so two taps
   * handled back to back can never both get 'ok'.
   */
  use(nonce: string, userId: number, chatId: number, action: 'confirmed' | 'cancelled'): ConfirmOutcome {
    const p = this.pending.get(nonce);
    if (!p) return { kind: 'unknown' };
    if (p.userId !== userId || p.chatId !== chatId) return { kind: 'wrong_user' };
    if (p.used !== null) return { kind: 'used', as: p.used };
    if (this.now() - p.issuedAt > this.ttlMs) {
      p.used = 'expired';
      return { kind: 'expired' };
    }
    p.used = action;
    return { kind: 'ok' };
  }

  private prune(): void {
    const cutoff = this.now() - this.ttlMs - REMEMBER_MS;
    for (const [nonce, p] of this.pending) if (p.issuedAt < cutoff) this.pending.delete(nonce);
  }
}
