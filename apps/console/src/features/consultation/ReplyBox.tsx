import { type FormEvent, type KeyboardEvent, useId, useRef, useState } from 'react';
import type { CannedResponse } from '../../api/types.ts';
import { Button } from '../../components/Button.tsx';
import { Checkbox } from '../../components/Checkbox.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { getDraft, saveDraft, sendMessage } from './live.ts';

/**
 * 返信 textarea + 内部メモ toggle + 定型文 + 送信. The draft survives switching to another chat.
 * `lockedReason`: the box is shown disabled with this explanation (history not confirmed, not assigned).
 */
export function ReplyBox({
  consultationId,
  canned,
  lockedReason,
  inputId,
}: {
  consultationId: string;
  canned: CannedResponse[];
  lockedReason: string | null;
  /** id of the textarea (the chat focuses it after the history confirmation). */
  inputId?: string;
}) {
  const t = useT();
  const [text, setTextState] = useState(() => getDraft(consultationId).reply);
  const [note, setNoteState] = useState(() => getDraft(consultationId).note);
  const [error, setError] = useState<string | null>(null);
  const [cannedOpen, setCannedOpen] = useState(false);
  const area = useRef<HTMLTextAreaElement | null>(null);
  const cannedId = useId();
  const locked = lockedReason !== null;

  const setText = (value: string) => {
    setTextState(value);
    saveDraft(consultationId, { reply: value });
    if (error && value.trim()) setError(null);
  };
  const setNote = (value: boolean) => {
    setNoteState(value);
    saveDraft(consultationId, { note: value });
  };

  function send() {
    if (locked) return;
    if (!text.trim()) {
      setError(t('common.fieldRequired', { label: t('consult.reply') }));
      area.current?.focus();
      return;
    }
    sendMessage(consultationId, text, note ? 'note' : 'text');
    setText('');
    area.current?.focus();
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    send();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter alone starts a new line (and confirms IME conversion); Ctrl/⌘ + Enter sends.
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  function insert(value: string) {
    const el = area.current;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    setText(text.slice(0, start) + value + text.slice(end));
    setCannedOpen(false);
    requestAnimationFrame(() => {
      if (!el) return;
      el.focus();
      el.setSelectionRange(start + value.length, start + value.length);
    });
  }

  return (
    <form
      noValidate
      onSubmit={onSubmit}
      className="flex shrink-0 flex-col gap-2 border-t border-solid-gray-420 px-4 py-2"
    >
      {cannedOpen && (
        <div
          id={cannedId}
          className="max-h-40 overflow-y-auto rounded-8 border border-solid-gray-420 bg-white p-2 shadow-2"
        >
          {canned.length === 0 ? (
            <p className="px-2 py-1 text-dns-14N-130 text-solid-gray-700">{t('consult.cannedEmpty')}</p>
          ) : (
            <ul className="flex flex-col">
              {canned.map((c) => (
                <li key={`${c.title}\n${c.text}`}>
                  <button
                    type="button"
                    title={c.text}
                    onClick={() => insert(c.text)}
                    className="flex min-h-11 w-full flex-col items-start rounded-4 px-2 py-1 text-left hover:bg-blue-50"
                  >
                    <span className="text-dns-16B-130 text-blue-900 underline">{c.title}</span>
                    <span aria-hidden="true" className="w-full truncate text-dns-14N-130 text-solid-gray-700">
                      {c.text}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <TextArea
        ref={area}
        id={inputId}
        label={t('consult.reply')}
        value={text}
        onChange={setText}
        onKeyDown={onKeyDown}
        rows={1}
        disabled={locked}
        error={error}
        hint={lockedReason ?? (note ? t('consult.noteHint') : undefined)}
        // One line to start, growing with the text up to ~5 lines: the log keeps the height (C-12).
        textareaClassName={`max-h-40 resize-none [field-sizing:content] ${note && !locked ? 'bg-yellow-50' : ''}`}
      />
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <Checkbox label={t('consult.noteToggle')} checked={note} onChange={setNote} disabled={locked} />
        <Button
          variant="secondary"
          size="sm"
          aria-expanded={cannedOpen}
          aria-controls={cannedOpen ? cannedId : undefined}
          disabled={locked}
          onClick={() => setCannedOpen((v) => !v)}
        >
          {t('consult.canned')}
        </Button>
        <Button
          type="submit"
          className="ml-auto"
          disabled={locked}
          title={t('consult.sendHint')}
          aria-keyshortcuts="Control+Enter"
        >
          {t('consult.send')}
        </Button>
      </div>
    </form>
  );
}
