import { useState } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { copyText } from '../lib/clipboard.ts';
import { Button } from './Button.tsx';

/** Copies `text`; the result is announced through a polite live region. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const t = useT();
  const [result, setResult] = useState<'copied' | 'failed' | null>(null);
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        variant="secondary"
        size="sm"
        aria-label={label}
        onClick={async () => setResult((await copyText(text)) ? 'copied' : 'failed')}
      >
        {t('common.copy')}
      </Button>
      <span aria-live="polite" className="text-dns-14N-130 text-solid-gray-700">
        {result === 'copied' ? t('common.copied') : result === 'failed' ? t('common.copyFailed') : ''}
      </span>
    </span>
  );
}
