import { useEffect, useRef, useState } from 'react';
import type { FollowState } from '../types.ts';

/** 友だち追加 / ブロック解除, or the talk menu with ブロック when following. */
export function FriendControls({
  state,
  busy,
  onFollow,
  onBlock,
}: {
  state: FollowState;
  busy: boolean;
  onFollow: () => void;
  onBlock: () => void;
}) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const firstItem = useRef<HTMLButtonElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    firstItem.current?.focus();
    const onPointer = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  useEffect(() => {
    if (state !== 'following') setOpen(false);
  }, [state]);

  if (state === 'none') {
    return (
      <button type="button" className="friend-button" disabled={busy} onClick={onFollow}>
        友だち追加
      </button>
    );
  }
  if (state === 'blocked') {
    return (
      <button type="button" className="friend-button" disabled={busy} onClick={onFollow}>
        ブロック解除
      </button>
    );
  }
  const closeOnEscape = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape' && open) {
      e.preventDefault();
      setOpen(false);
      toggle.current?.focus();
    }
  };
  return (
    <div className="talk-menu" ref={root}>
      <button
        ref={toggle}
        type="button"
        className="icon-button"
        aria-label="トークメニュー"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls="talk-menu"
        onClick={() => setOpen((o) => !o)}
        onKeyDown={closeOnEscape}
      >
        <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
          <path d="M3 6h18v2H3zm0 5h18v2H3zm0 5h18v2H3z" fill="currentColor" />
        </svg>
      </button>
      {open && (
        <div id="talk-menu" role="menu" aria-label="トークメニュー" className="menu">
          <button
            ref={firstItem}
            type="button"
            role="menuitem"
            disabled={busy}
            onKeyDown={closeOnEscape}
            onClick={() => {
              setOpen(false);
              onBlock();
            }}
          >
            ブロック
          </button>
        </div>
      )}
    </div>
  );
}
