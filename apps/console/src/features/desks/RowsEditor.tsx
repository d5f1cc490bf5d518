import type { ReactNode } from 'react';
import { Button } from '../../components/Button.tsx';
import { Th } from '../../components/Table.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { cell } from './cells.tsx';

/** A table of editable rows with 行を削除 per row and an add button (same pattern as the IP lists). */
export function RowsEditor<R extends { key: number }>({
  rows,
  onChange,
  columns,
  addLabel,
  newRow,
  renderCells,
}: {
  rows: R[];
  onChange: (rows: R[]) => void;
  columns: string[];
  addLabel: string;
  newRow: () => R;
  renderCells: (row: R, n: number, update: (patch: Partial<R>) => void) => ReactNode;
}) {
  const t = useT();
  return (
    <div className="flex flex-col gap-3">
      {rows.length > 0 && (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-left">
            <thead>
              <tr>
                <Th className="w-10">#</Th>
                {columns.map((c) => (
                  <Th key={c}>{c}</Th>
                ))}
                <Th className="w-20">
                  <span className="sr-only">{t('common.actions')}</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => (
                <tr key={row.key}>
                  <td className={`${cell} py-4 text-dns-16N-130`}>{i + 1}</td>
                  {renderCells(row, i + 1, (patch) =>
                    onChange(rows.map((r) => (r.key === row.key ? { ...r, ...patch } : r))),
                  )}
                  <td className={cell}>
                    <Button
                      variant="tertiary"
                      size="sm"
                      aria-label={t('desks.removeRow', { n: i + 1 })}
                      onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
                    >
                      {t('common.delete')}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div>
        <Button variant="secondary" size="sm" onClick={() => onChange([...rows, newRow()])}>
          {addLabel}
        </Button>
      </div>
    </div>
  );
}
