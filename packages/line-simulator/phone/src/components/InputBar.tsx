import type { RefObject } from 'react';

function Icon({ d }: { d: string }) {
  return (
    <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
      <path d={d} fill="currentColor" />
    </svg>
  );
}

const PIN =
  'M12 2a7 7 0 0 0-7 7c0 5.25 7 13 7 13s7-7.75 7-13a7 7 0 0 0-7-7zm0 9.5A2.5 2.5 0 1 1 12 6.5a2.5 2.5 0 0 1 0 5z';
const PICTURE =
  'M21 19V5a2 2 0 0 0-2-2H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2zM8.5 13.5l2.5 3 3.5-4.5 4.5 6H5l3.5-4.5z';
const SEND = 'M2 21l21-9L2 3v7l15 2-15 2z';

/** Text box, 送信, 位置情報 and 画像. */
export function InputBar({
  draft,
  onDraft,
  disabled,
  onSend,
  onLocation,
  onImage,
  textRef,
  fileRef,
}: {
  draft: string;
  onDraft: (text: string) => void;
  disabled: boolean;
  onSend: (text: string) => void;
  onLocation: () => void;
  onImage: (file: File) => void;
  textRef: RefObject<HTMLTextAreaElement | null>;
  fileRef: RefObject<HTMLInputElement | null>;
}) {
  const submit = () => {
    const text = draft.trim();
    if (!text || disabled) return;
    onSend(draft);
    onDraft('');
  };
  return (
    <form
      className="inputbar"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <button
        type="button"
        className="icon-button"
        aria-label="位置情報"
        title="位置情報"
        disabled={disabled}
        onClick={onLocation}
      >
        <Icon d={PIN} />
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label="画像"
        title="画像"
        disabled={disabled}
        onClick={() => fileRef.current?.click()}
      >
        <Icon d={PICTURE} />
      </button>
      <input
        ref={fileRef}
        type="file"
        accept="image/*"
        hidden
        aria-label="画像ファイル"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) onImage(file);
          e.target.value = '';
        }}
      />
      <textarea
        ref={textRef}
        className="text-input"
        rows={1}
        aria-label="メッセージを入力"
        placeholder="メッセージを入力"
        value={draft}
        disabled={disabled}
        onChange={(e) => onDraft(e.target.value)}
        onKeyDown={(e) => {
          // Enter sends, Shift+Enter is a new line; never send while an IME is composing.
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
      />
      <button
        type="submit"
        className="icon-button send"
        aria-label="送信"
        title="送信"
        disabled={disabled || !draft.trim()}
      >
        <Icon d={SEND} />
      </button>
    </form>
  );
}
