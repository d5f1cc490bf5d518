import { useState } from 'react';
import { api } from '../../api/client.ts';
import { fieldErrors, hasCode } from '../../api/errors.ts';
import type { IpArea, IpEntry } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { controlClass, describedBy, ErrorText } from '../../components/Field.tsx';
import { Section } from '../../components/Section.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useSubmit } from '../../lib/useFormSubmit.ts';
import { hostCidr, isCidr } from './cidr.ts';

type Row = { key: number; cidr: string; note: string };

let nextKey = 1;
const toRows = (entries: IpEntry[]): Row[] =>
  entries.map((e) => ({ key: nextKey++, cidr: e.cidr, note: e.note }));

/** Rows of CIDR + メモ for one area, saved with PUT /api/ip-allowlists/:area. */
export function AllowlistEditor({
  area,
  title,
  description,
  initial,
  clientIp,
}: {
  area: IpArea;
  title: string;
  description: string;
  initial: IpEntry[];
  clientIp: string;
}) {
  const t = useT();
  const [rows, setRows] = useState<Row[]>(() => toRows(initial));
  const [savedCount, setSavedCount] = useState(initial.length);
  const [saved, setSaved] = useState(false);
  const update = (key: number, patch: Partial<Row>) =>
    setRows((list) => list.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  function addRow(entry: IpEntry = { cidr: '', note: '' }) {
    setRows((list) => [...list, ...toRows([entry])]);
    setSaved(false);
  }

  const filled = () => rows.filter((r) => r.cidr.trim() || r.note.trim());
  // Field messages are keyed by the row's key.
  const {
    errors: rowErrors,
    formError,
    failure,
    submitting,
    onSubmit,
  } = useSubmit({
    validate: () => {
      const found: Record<string, string> = {};
      const seen = new Set<string>();
      for (const row of filled()) {
        const cidr = row.cidr.trim();
        if (!cidr) found[row.key] = t('common.fieldRequired', { label: t('ip.cidr') });
        else if (!isCidr(cidr)) found[row.key] = t('ip.invalidCidr');
        else if (seen.has(cidr)) found[row.key] = t('ip.duplicate');
        seen.add(cidr);
      }
      return found;
    },
    save: async () => {
      setSaved(false);
      const entries = filled().map((r) => ({ cidr: r.cidr.trim(), note: r.note.trim() }));
      const result = await api.put<{ entries: IpEntry[] }>(`/api/ip-allowlists/${area}`, { entries });
      const savedEntries = result?.entries ?? entries;
      setRows(toRows(savedEntries));
      setSavedCount(savedEntries.length);
      setSaved(true);
    },
    // Per-row server errors (path `entries.N.cidr`) back to the rows that were sent.
    serverFieldErrors: (err) => {
      const fields = fieldErrors(err);
      const mapped: Record<string, string> = {};
      filled().forEach((row, i) => {
        const message = fields[`entries.${i}.cidr`] ?? fields[`entries.${i}`];
        if (message) mapped[row.key] = message;
      });
      return mapped;
    },
  });

  const hasClientIp = rows.some((r) => r.cidr.trim() === clientIp || r.cidr.trim() === hostCidr(clientIp));

  return (
    <Section title={title} description={description}>
      <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-4">
        {savedCount === 0 && !saved && <Alert tone="info">{t('ip.noRestriction')}</Alert>}
        {saved && !formError && <Alert tone="success">{t('ip.saved', { area: title })}</Alert>}
        {formError && (
          <Alert tone="error">
            <p>{formError}</p>
            {hasCode(failure, 'IP_LIST_WOULD_LOCK_OUT') && (
              <p className="mt-1 font-bold">{t('ip.yourIp', { ip: clientIp })}</p>
            )}
          </Alert>
        )}
        <table className="w-full table-fixed border-collapse text-left">
          <thead>
            <tr>
              <th
                scope="col"
                className="w-12 border-b-2 border-solid-gray-420 bg-solid-gray-50 px-2 py-2 text-dns-16B-130"
              >
                #
              </th>
              <th
                scope="col"
                className="w-2/5 border-b-2 border-solid-gray-420 bg-solid-gray-50 px-2 py-2 text-dns-16B-130"
              >
                {t('ip.cidr')}
              </th>
              <th
                scope="col"
                className="border-b-2 border-solid-gray-420 bg-solid-gray-50 px-2 py-2 text-dns-16B-130"
              >
                {t('ip.note')}
              </th>
              <th scope="col" className="w-28 border-b-2 border-solid-gray-420 bg-solid-gray-50 px-2 py-2">
                <span className="sr-only">{t('common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => {
              const n = i + 1;
              const errorId = `${area}-cidr-${row.key}-error`;
              const rowError = rowErrors[row.key];
              return (
                <tr key={row.key} className="align-top">
                  <td className="border-b border-solid-gray-420 px-2 py-3 text-dns-16N-130">{n}</td>
                  <td className="border-b border-solid-gray-420 px-2 py-2">
                    <input
                      aria-label={t('ip.cidrLabel', { n })}
                      value={row.cidr}
                      onChange={(e) => update(row.key, { cidr: e.target.value })}
                      aria-invalid={rowError ? true : undefined}
                      aria-describedby={describedBy(rowError && errorId)}
                      placeholder="192.0.2.0/24"
                      spellCheck={false}
                      autoComplete="off"
                      className={`${controlClass} font-mono`}
                    />
                    {rowError && (
                      <ErrorText id={errorId} className="mt-1">
                        {rowError}
                      </ErrorText>
                    )}
                  </td>
                  <td className="border-b border-solid-gray-420 px-2 py-2">
                    <input
                      aria-label={t('ip.noteLabel', { n })}
                      value={row.note}
                      onChange={(e) => update(row.key, { note: e.target.value })}
                      autoComplete="off"
                      className={controlClass}
                    />
                  </td>
                  <td className="border-b border-solid-gray-420 px-2 py-2">
                    <Button
                      variant="tertiary"
                      size="sm"
                      aria-label={t('ip.removeRow', { n })}
                      onClick={() => setRows((list) => list.filter((r) => r.key !== row.key))}
                    >
                      {t('common.delete')}
                    </Button>
                  </td>
                </tr>
              );
            })}
            {rows.length === 0 && (
              <tr>
                <td
                  colSpan={4}
                  className="border-b border-solid-gray-420 px-2 py-4 text-center text-std-16N-170"
                >
                  {t('ip.emptyMeansAll')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
        <div className="flex flex-wrap gap-3">
          <Button variant="secondary" size="sm" onClick={() => addRow()}>
            {t('ip.addRow')}
          </Button>
          {clientIp && !hasClientIp && (
            <Button
              variant="secondary"
              size="sm"
              onClick={() => addRow({ cidr: hostCidr(clientIp), note: t('ip.myIpNote') })}
            >
              {t('ip.addMyIp')}
            </Button>
          )}
        </div>
        <div className="border-t border-solid-gray-420 pt-4">
          <Button type="submit" disabled={submitting}>
            {submitting ? t('common.saving') : t('common.save')}
          </Button>
        </div>
      </form>
    </Section>
  );
}
