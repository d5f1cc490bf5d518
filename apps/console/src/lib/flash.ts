import { useState } from 'react';

/**
 * One-shot success message carried across a navigation (e.g. "保存しました" shown on the list
 * after a form page saves and navigates back).
 */
let pending: string | null = null;

export function setFlash(message: string): void {
  pending = message;
}

/** Reads and clears the pending message once, on the first render of the page. */
export function useFlash(): string | null {
  const [message] = useState(() => {
    const value = pending;
    pending = null;
    return value;
  });
  return message;
}
