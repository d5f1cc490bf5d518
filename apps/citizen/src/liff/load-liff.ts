import type { Liff } from './liff-types.ts';

/** Why LIFF could not be started; the message is for logs, the code picks the text shown. */
export class LiffError extends Error {
  readonly code: 'LIFF_LOAD_FAILED' | 'LIFF_INIT_FAILED';

  constructor(code: LiffError['code'], message: string) {
    super(message);
    this.name = 'LiffError';
    this.code = code;
  }
}

const LOAD_TIMEOUT_MS = 20_000;

let loading: { src: string; promise: Promise<Liff> } | null = null;
let initialized: { liffId: string; promise: Promise<void> } | null = null;

/** Adds `<script src>` for the LIFF SDK once and resolves with `window.liff` when it has run. */
export function loadLiffSdk(src: string): Promise<Liff> {
  if (window.liff) return Promise.resolve(window.liff);
  if (loading?.src === src) return loading.promise;

  const promise = new Promise<Liff>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.async = true;
    const fail = (message: string) => {
      clearTimeout(timer);
      script.remove();
      loading = null; // allow a retry to add the script again
      reject(new LiffError('LIFF_LOAD_FAILED', message));
    };
    const timer = setTimeout(() => fail(`LIFF SDK timed out: ${src}`), LOAD_TIMEOUT_MS);
    script.onload = () => {
      clearTimeout(timer);
      if (window.liff) resolve(window.liff);
      else fail(`LIFF SDK did not define window.liff: ${src}`);
    };
    script.onerror = () => fail(`LIFF SDK failed to load: ${src}`);
    document.head.append(script);
  });
  loading = { src, promise };
  return promise;
}

/** Loads the SDK and runs `liff.init` once per page (a retry after success reuses it). */
export async function initLiff(src: string, liffId: string): Promise<Liff> {
  const liff = await loadLiffSdk(src);
  if (initialized?.liffId !== liffId) {
    const promise = liff.init({ liffId }).catch((err: unknown) => {
      initialized = null;
      throw new LiffError('LIFF_INIT_FAILED', err instanceof Error ? err.message : String(err));
    });
    initialized = { liffId, promise };
  }
  await initialized.promise;
  return liff;
}

/** True inside the LINE app's LIFF browser (where `closeWindow` works). Never throws. */
export function isInLineClient(liff: Liff | null): boolean {
  try {
    return liff?.isInClient() ?? false;
  } catch {
    return false;
  }
}
