// The small part of the LIFF v2 SDK (window.liff) this app uses. In production the script is LINE's
// official SDK; in development and tests the LINE simulator serves a stand-in with the same API.
// Declared here instead of installing @line/liff, to keep the bundle small.

export type LiffOs = 'ios' | 'android' | 'web';

export interface Liff {
  init(config: { liffId: string; withLoginOnExternalBrowser?: boolean }): Promise<void>;
  isLoggedIn(): boolean;
  /** Redirects to LINE Login (outside the LINE app); the page is left. */
  login(options?: { redirectUri?: string }): void;
  /** The raw ID token (JWT), or null when the LIFF app lacks the openid scope. */
  getIDToken(): string | null;
  isInClient(): boolean;
  closeWindow(): void;
  getOS(): LiffOs | undefined;
}

declare global {
  interface Window {
    liff?: Liff;
  }
}
