import {
  type FormEvent,
  type KeyboardEvent,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { MAX_MESSAGE_LENGTH } from '../../consult/api.ts';
import { useFinePointer } from '../../consult/pointer.ts';
import { useI18n } from '../../i18n/i18n.tsx';

const MAX_HEIGHT_PX = 220;

/**
 * The message box: "メッセージ" textarea and "送信". Ctrl/⌘ + Enter sends; plain Enter is a new line
 * (phones have no other way to write one). At most 2,000 characters, with a counter. The shortcut is
 * mentioned only where a physical keyboard is likely (mouse or trackpad), never on phones or tablets.
 */
export function Composer({
  onSend,
  onTyping,
  disabled = false,
  focusOnMount = false,
}: {
  /** Returns false when the message was not taken (the text then stays in the box). */
  onSend: (text: string) => boolean;
  onTyping: () => void;
  disabled?: boolean;
  focusOnMount?: boolean;
}) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const ref = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  const length = text.length;
  const over = length - MAX_MESSAGE_LENGTH;
  const canSend = !disabled && text.trim().length > 0 && over <= 0;
  const keyboardHint = useFinePointer();

  // Grow with the text up to a few lines, then scroll.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-measure whenever the text changes.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight + 4, MAX_HEIGHT_PX)}px`;
  }, [text]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: only when first shown.
  useEffect(() => {
    if (focusOnMount) ref.current?.focus({ preventScroll: true });
  }, []);

  const submit = () => {
    if (!canSend) return;
    if (onSend(text)) setText('');
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-1">
      <div className="flex items-baseline justify-between gap-3">
        <label htmlFor={`${id}-text`} className="text-std-16B-170 text-solid-gray-900">
          {t('consult.message')}
        </label>
        <span
          id={`${id}-counter`}
          className={`text-oln-16N-100 ${over > 0 ? 'font-bold text-error-2' : 'text-solid-gray-700'}`}
        >
          {t('consult.counter', { count: length.toLocaleString(), max: MAX_MESSAGE_LENGTH.toLocaleString() })}
        </span>
      </div>
      <div className="flex items-end gap-2">
        <textarea
          id={`${id}-text`}
          ref={ref}
          value={text}
          rows={2}
          disabled={disabled}
          aria-invalid={over > 0 || undefined}
          aria-describedby={`${id}-counter ${id}-error${keyboardHint ? ` ${id}-hint` : ''}`}
          onChange={(event) => {
            setText(event.target.value);
            if (event.target.value) onTyping();
          }}
          onKeyDown={onKeyDown}
          className="min-h-14 w-full min-w-0 flex-1 resize-none rounded-8 border-2 border-solid-gray-600 bg-white px-3 py-2 text-std-18N-160 text-solid-gray-900 placeholder:text-solid-gray-536 hover:border-black aria-invalid:border-error-2 disabled:border-solid-gray-300 disabled:bg-solid-gray-50"
        />
        <button
          type="submit"
          disabled={!canSend}
          // Keep the keyboard up on phones: tapping send does not take the focus from the text box.
          onMouseDown={(event) => {
            if (document.activeElement === ref.current) event.preventDefault();
          }}
          className="inline-flex min-h-14 min-w-20 shrink-0 items-center justify-center gap-1 rounded-8 border-2 border-blue-900 bg-blue-900 px-4 text-oln-17B-100 text-white hover:border-blue-1000 hover:bg-blue-1000 hover:underline active:bg-blue-1200 disabled:cursor-not-allowed disabled:border-solid-gray-300 disabled:bg-solid-gray-300 disabled:text-solid-gray-700 disabled:no-underline"
        >
          {t('consult.send')}
        </button>
      </div>
      <p id={`${id}-error`} aria-live="polite" className="text-std-16B-170 text-error-2">
        {over > 0
          ? t('consult.tooLong', { max: MAX_MESSAGE_LENGTH.toLocaleString(), over: over.toLocaleString() })
          : ''}
      </p>
      {keyboardHint && (
        <p id={`${id}-hint`} className="text-oln-16N-100 text-solid-gray-700">
          {t('consult.sendHint')}
        </p>
      )}
    </form>
  );
}
