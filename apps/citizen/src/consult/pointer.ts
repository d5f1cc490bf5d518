import { useEffect, useState } from 'react';

// Keyboard hints and keyboard-first behaviour only where a physical keyboard is likely: a mouse or
// trackpad (fine pointer that can hover). Phones and school tablets (touch) get neither.

export const FINE_POINTER_QUERY = '(hover: hover) and (pointer: fine)';

export function hasFinePointer(): boolean {
  return window.matchMedia?.(FINE_POINTER_QUERY).matches === true;
}

/** True on a device with a mouse or trackpad; follows changes (a tablet docked to a keyboard). */
export function useFinePointer(): boolean {
  const [fine, setFine] = useState(hasFinePointer);
  useEffect(() => {
    const query = window.matchMedia?.(FINE_POINTER_QUERY);
    if (!query) return;
    const onChange = () => setFine(query.matches);
    onChange();
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  return fine;
}
