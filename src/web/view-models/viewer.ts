/** What a page shows differently for a logged-in browser: enabled controls and the CSRF token. */
export interface ViewerModel {
  readonly tokenConfigured: boolean;
  readonly loggedIn: boolean;
  /** Sent back by htmx in a header with every change; null when not logged in. */
  readonly csrf: string | null;
}

export const ANONYMOUS: ViewerModel = { tokenConfigured: false, loggedIn: false, csrf: null };
