import type { ShelterImportResult } from '@madoguchi/contracts/shelters.ts';
import { type ChangeEvent, useId, useState } from 'react';
import { ApiError, api } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button, LinkButton } from '../../components/Button.tsx';
import { ErrorText, FieldLabel, SupportText } from '../../components/Field.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { StatCard } from '../../components/StatCard.tsx';
import { Table, Td, Th } from '../../components/Table.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { formatNumber } from '../../lib/format.ts';

// 避難所の一括登録: choose a CSV, check it (dry run: every bad row with its line and reason,
// the counts of new / changed / unchanged / missing), then import it (one transaction on the server).

type Problem = { line: number | string; column: string | null; code: string; message: string };

export function ShelterImportPage() {
  const t = useT();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<ShelterImportResult | null>(null);
  const [refused, setRefused] = useState<{ message: string; problems: Problem[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);

  function onFile(event: ChangeEvent<HTMLInputElement>) {
    setFile(event.currentTarget.files?.[0] ?? null);
    setResult(null);
    setRefused(null);
    setError(null);
  }

  async function send(dryRun: boolean) {
    if (!file) {
      setError(t('shelterImport.noFile'));
      return;
    }
    setWorking(true);
    setError(null);
    setRefused(null);
    try {
      // The raw bytes: the server detects the encoding (UTF-8 / Shift_JIS).
      const body = new Blob([await file.arrayBuffer()], { type: 'text/csv' });
      const path = dryRun ? '/api/shelters/import/dry-run' : '/api/shelters/import';
      setResult(await api.post<ShelterImportResult>(path, body));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'SHELTER_IMPORT_INVALID') {
        setRefused({
          message: err.message,
          problems: err.details.map((d) => ({ line: d.path, column: null, code: '', message: d.message })),
        });
      } else setError(errorMessage(t, err));
    } finally {
      setWorking(false);
    }
  }

  const problems: Problem[] = refused?.problems ?? result?.problems ?? [];
  return (
    <>
      <PageHeader
        title={t('shelterImport.title')}
        description={t('shelterImport.lead')}
        actions={<LinkButton to="/shelters">{t('nav.shelters')}</LinkButton>}
      />
      <div className="flex max-w-3xl flex-col gap-4">
        <div className="flex flex-col gap-1.5">
          <FieldLabel htmlFor={id}>{t('shelterImport.file')}</FieldLabel>
          <SupportText id={`${id}-hint`}>{t('shelterImport.fileHint')}</SupportText>
          <input
            id={id}
            type="file"
            accept=".csv,text/csv"
            onChange={onFile}
            aria-describedby={`${id}-hint`}
            className="min-h-12 max-w-full text-std-16N-170 file:mr-3 file:min-h-11 file:cursor-pointer file:rounded-8 file:border-2 file:border-blue-900 file:bg-white file:px-3 file:text-oln-16B-100 file:text-blue-900 hover:file:bg-blue-50"
          />
          {error && <ErrorText id={`${id}-error`}>{error}</ErrorText>}
        </div>
        <div className="flex flex-wrap gap-3">
          <Button variant="secondary" disabled={working} onClick={() => void send(true)}>
            {t('shelterImport.check')}
          </Button>
          <Button
            disabled={working || !result?.dryRun || result.problems.length > 0}
            onClick={() => void send(false)}
          >
            {t('shelterImport.apply')}
          </Button>
        </div>
        <p aria-live="polite" className="text-std-16N-170">
          {working ? t('shelterImport.working') : ''}
        </p>
      </div>

      {refused && <Alert tone="error">{refused.message}</Alert>}
      {result && (
        <section aria-labelledby={`${id}-result`} className="mt-6 flex flex-col gap-4">
          <h2 id={`${id}-result`} className="text-std-20B-150">
            {result.applied ? t('shelterImport.applied') : t('shelterImport.result')}
          </h2>
          <p className="text-std-16N-170">
            {t('shelterImport.layout', { layout: t(`shelterImport.layout.${result.layout}` as MessageKey) })}
            {' ・ '}
            {t('shelterImport.encoding', {
              encoding: t(`shelterImport.encoding.${result.encoding}` as MessageKey),
            })}
            {' ・ '}
            {t('shelterImport.rows', { rows: formatNumber(result.rows), valid: formatNumber(result.valid) })}
          </p>
          <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            <StatCard label={t('shelterImport.created')} value={result.created} />
            <StatCard label={t('shelterImport.updated')} value={result.updated} />
            <StatCard label={t('shelterImport.unchanged')} value={result.unchanged} />
            <StatCard label={t('shelterImport.missing')} value={result.missingFromFile.length} />
          </div>
          {result.missingFromFile.length > 0 && <Alert tone="info">{t('shelterImport.missingHint')}</Alert>}
          {result.problems.length > 0 && <Alert tone="warning">{t('shelterImport.problemsBlock')}</Alert>}
        </section>
      )}
      {(result || refused) && (
        <div className="mt-6">
          {problems.length === 0 ? (
            <p className="text-std-16N-170">{t('shelterImport.noProblems')}</p>
          ) : (
            <Table caption={t('shelterImport.problems', { count: problems.length })}>
              <thead>
                <tr>
                  <Th>{t('shelterImport.col.line')}</Th>
                  <Th>{t('shelterImport.col.column')}</Th>
                  <Th>{t('shelterImport.col.reason')}</Th>
                  <Th>{t('shelterImport.col.code')}</Th>
                </tr>
              </thead>
              <tbody>
                {problems.map((p) => (
                  <tr key={`${p.line}-${p.code}-${p.message}`}>
                    <Td>{p.line}</Td>
                    <Td>{p.column ?? '—'}</Td>
                    <Td>{p.message}</Td>
                    <Td>
                      <code>{p.code || '—'}</code>
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </div>
      )}
      {result && result.missingFromFile.length > 0 && (
        <div className="mt-6">
          <Table caption={t('shelterImport.missingList', { count: result.missingFromFile.length })}>
            <thead>
              <tr>
                <Th>{t('shelterImport.col.id')}</Th>
                <Th>{t('shelterImport.col.name')}</Th>
              </tr>
            </thead>
            <tbody>
              {result.missingFromFile.map((m) => (
                <tr key={m.externalId}>
                  <Td>{m.externalId}</Td>
                  <Td>{m.name}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </div>
      )}
    </>
  );
}
