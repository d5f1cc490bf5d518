import { useT } from '../i18n/i18n.tsx';
import { formatNumber } from '../lib/format.ts';
import { Button } from './Button.tsx';

/** 前へ / 次へ paging for offset-based lists. */
export function Pagination({
  offset,
  limit,
  total,
  onChange,
}: {
  offset: number;
  limit: number;
  total: number;
  onChange: (offset: number) => void;
}) {
  const t = useT();
  if (total === 0) return null;
  const from = offset + 1;
  const to = Math.min(offset + limit, total);
  return (
    <nav aria-label={t('common.pagination')} className="mt-4 flex flex-wrap items-center gap-4">
      <Button
        variant="secondary"
        size="sm"
        disabled={offset === 0}
        onClick={() => onChange(Math.max(0, offset - limit))}
      >
        {t('common.prev')}
      </Button>
      <p className="text-dns-16N-130" aria-live="polite">
        {t('common.pageRange', {
          total: formatNumber(total),
          from: formatNumber(from),
          to: formatNumber(to),
        })}
      </p>
      <Button variant="secondary" size="sm" disabled={to >= total} onClick={() => onChange(offset + limit)}>
        {t('common.next')}
      </Button>
    </nav>
  );
}
