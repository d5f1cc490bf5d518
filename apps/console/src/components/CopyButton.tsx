import { type ReactNode, useState } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { copyText } from '../lib/clipboard.ts';
import { Button } from './Button.tsx';

/**
 * Shows `children` (the value) with a コピー button after it; the result is announced through a
 * polite live region under the value.
 */
export function CopyButton({ text, label, children }: { text: string; label: string; children?: ReactNode }) {
  const t = useT();
  const [result, setResult] = useState<'copied' | 'failed' | null>(null);
  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-center gap-2">
        {children}
        <Button
          variant="secondary"
          size="sm"
          aria-label={label}
          className="shrink-0"
          onClick={async () => setResult((await copyText(text)) ? 'copied' : 'failed')}
        >
          {t('common.copy')}
        </Button>
      </div>
      <span aria-live="polite" className="text-dns-14N-130 text-solid-gray-700 empty:hidden">
        {result === 'copied' ? t('common.copied') : result === 'failed' ? t('common.copyFailed') : ''}
      </span>
    </div>
  );
}
