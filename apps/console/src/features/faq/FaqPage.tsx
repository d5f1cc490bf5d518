import { FAQ_LIMITS } from '@madoguchi/contracts/chatbot.ts';
import { type ChangeEvent, type FormEvent, useId, useMemo, useState } from 'react';
import { errorMessage } from '../../api/errors.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button, buttonClass } from '../../components/Button.tsx';
import { FieldLabel, SupportText } from '../../components/Field.tsx';
import { Pagination } from '../../components/Pagination.tsx';
import { Section } from '../../components/Section.tsx';
import { Select } from '../../components/Select.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { formatNumber } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';
import { ChannelListPage, useChannelScope } from '../channels/ChannelListPage.tsx';
import {
  type FaqImportResult,
  type FaqPage as FaqList,
  type FaqMatch,
  faqApi,
  faqExportHref,
  faqListPath,
} from './api.ts';

const LIMIT = 50;
const cut = (s: string, n = 80) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** FAQ (#/chatbot/faq, B-04): import the city's sheet (dry run first), the list, export, and 「質問を試す」. */
export function FaqPage() {
  const t = useT();
  const scope = useChannelScope();
  const { channelId, ready } = scope;
  const [filter, setFilter] = useState({ q: '', category: '' });
  const [typed, setTyped] = useState('');
  const [offset, setOffset] = useState(0);
  const [message, setMessage] = useState<string | null>(null);
  const list = useApi<FaqList>(
    ready ? faqListPath(channelId, { q: filter.q, category: filter.category, limit: LIMIT, offset }) : null,
  );
  // The categories for the filter, from the first rows of the whole FAQ.
  const all = useApi<FaqList>(ready ? faqListPath(channelId, { limit: 500, offset: 0 }) : null);
  const categories = useMemo(
    () =>
      [
        ...new Set(
          [...(all.data?.items ?? []), ...(list.data?.items ?? [])].map((e) => e.category).filter(Boolean),
        ),
      ].sort(),
    [all.data, list.data],
  );

  function onSearch(event: FormEvent) {
    event.preventDefault();
    setOffset(0);
    setFilter((f) => ({ ...f, q: typed.trim() }));
  }

  return (
    <ChannelListPage
      scope={scope}
      title={t('faq.title')}
      description={t('faq.lead')}
      actions={
        <a href={faqExportHref(channelId)} download className={buttonClass('secondary')}>
          {t('faq.export')}
        </a>
      }
      message={message}
      list={list}
    >
      <div className="flex flex-col gap-6">
        <ImportSection
          channelId={channelId}
          onImported={(r) => {
            setMessage(t('faq.import.done', { created: r.created, updated: r.updated, removed: r.removed }));
            void list.reload(true);
            void all.reload(true);
          }}
        />
        <TrySection channelId={channelId} />
        <Section title={t('faq.list.title')}>
          <form onSubmit={onSearch} className="mb-4 flex flex-wrap items-end gap-4">
            <TextField
              label={t('faq.list.search')}
              type="search"
              value={typed}
              maxLength={200}
              onChange={setTyped}
              inputClassName="w-80 max-w-full"
            />
            <Select
              label={t('faq.list.category')}
              value={filter.category}
              placeholder={t('faq.list.allCategories')}
              options={categories.map((c) => ({ value: c, label: c }))}
              onChange={(category) => {
                setOffset(0);
                setFilter((f) => ({ ...f, category }));
              }}
              selectClassName="w-64"
            />
            <Button type="submit" variant="secondary">
              {t('faq.list.searchButton')}
            </Button>
          </form>
          <Table caption={t('faq.list.table')} hideCaption>
            <thead>
              <tr>
                <Th>{t('faq.col.no')}</Th>
                <Th>{t('faq.col.question')}</Th>
                <Th>{t('faq.col.answer')}</Th>
                <Th>{t('faq.col.category')}</Th>
                <Th>{t('faq.col.answered')}</Th>
                <Th>{t('faq.col.helpful')}</Th>
              </tr>
            </thead>
            <tbody>
              {list.data?.items.length === 0 && <EmptyRow colSpan={6}>{t('faq.list.empty')}</EmptyRow>}
              {list.data?.items.map((e) => (
                <tr key={e.id}>
                  <Td className="whitespace-nowrap">{e.rowNo}</Td>
                  <Td className="max-w-xs text-std-16N-170">{e.question}</Td>
                  <Td className="max-w-md text-std-16N-170">{cut(e.answer)}</Td>
                  <Td>{e.category}</Td>
                  <Td className="text-right">{formatNumber(e.answered)}</Td>
                  <Td className="whitespace-nowrap">
                    {t('faq.col.helpfulValue', {
                      yes: formatNumber(e.helpful),
                      no: formatNumber(e.notHelpful),
                    })}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
          <Pagination offset={offset} limit={LIMIT} total={list.data?.total ?? 0} onChange={setOffset} />
        </Section>
      </div>
    </ChannelListPage>
  );
}

function ImportSection({
  channelId,
  onImported,
}: {
  channelId: string;
  onImported: (r: FaqImportResult) => void;
}) {
  const t = useT();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [checked, setChecked] = useState<FaqImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function onFile(event: ChangeEvent<HTMLInputElement>) {
    const chosen = event.currentTarget.files?.[0] ?? null;
    setChecked(null);
    setError(null);
    if (chosen && chosen.size > FAQ_LIMITS.fileBytes) {
      setError(t('faq.import.tooLarge'));
      setFile(null);
      return;
    }
    setFile(chosen);
  }

  async function run(dryRun: boolean) {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const result = await faqApi.importFile(channelId, file, dryRun);
      if (dryRun) setChecked(result);
      else {
        setChecked(null);
        setFile(null);
        onImported(result);
      }
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section title={t('faq.import.title')} description={t('faq.import.lead')}>
      <div className="flex flex-col gap-4">
        <div className="flex flex-col gap-1.5">
          <FieldLabel htmlFor={id}>{t('faq.import.file')}</FieldLabel>
          <SupportText id={`${id}-hint`}>
            {t('faq.import.fileHint', { rows: formatNumber(FAQ_LIMITS.rows) })}
          </SupportText>
          <input
            id={id}
            type="file"
            accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-describedby={`${id}-hint`}
            onChange={onFile}
            className="min-h-12 max-w-full text-std-16N-170 file:mr-3 file:min-h-11 file:cursor-pointer file:rounded-8 file:border-2 file:border-blue-900 file:bg-white file:px-3 file:text-oln-16B-100 file:text-blue-900"
          />
        </div>
        <div className="flex flex-wrap gap-3">
          <Button variant="secondary" disabled={!file || busy} onClick={() => void run(true)}>
            {t('faq.import.check')}
          </Button>
          <Button
            variant="primary"
            disabled={!file || busy || !checked || checked.errors.length > 0}
            onClick={() => void run(false)}
          >
            {t('faq.import.run')}
          </Button>
        </div>
        {error && <Alert tone="error">{error}</Alert>}
        {checked && (
          <div className="flex flex-col gap-3">
            <Alert tone={checked.errors.length > 0 ? 'error' : 'info'} title={t('faq.import.checked')}>
              <p>
                {t('faq.import.counts', {
                  rows: formatNumber(checked.rows),
                  created: formatNumber(checked.created),
                  updated: formatNumber(checked.updated),
                  removed: formatNumber(checked.removed),
                })}
              </p>
              {checked.errors.length > 0 && (
                <p>{t('faq.import.hasErrors', { count: checked.errors.length })}</p>
              )}
              {checked.removed > 0 && (
                <p className="text-std-16B-170">
                  {t('faq.import.removeWarning', { count: formatNumber(checked.removed) })}
                </p>
              )}
              {checked.ignoredColumns.length > 0 && (
                <p>{t('faq.import.ignored', { columns: checked.ignoredColumns.join('、') })}</p>
              )}
            </Alert>
            {checked.errors.length > 0 && (
              <Table caption={t('faq.import.errors')}>
                <thead>
                  <tr>
                    <Th>{t('faq.import.line')}</Th>
                    <Th>{t('faq.import.column')}</Th>
                    <Th>{t('faq.import.message')}</Th>
                  </tr>
                </thead>
                <tbody>
                  {checked.errors.map((e) => (
                    <tr key={`${e.line}-${e.code}-${e.column}`}>
                      <Td className="text-right">{e.line}</Td>
                      <Td>{e.column ?? '—'}</Td>
                      <Td className="text-std-16N-170">{e.message}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </div>
        )}
      </div>
    </Section>
  );
}

function TrySection({ channelId }: { channelId: string }) {
  const t = useT();
  const [text, setText] = useState('');
  const [match, setMatch] = useState<FaqMatch | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!text.trim()) return;
    setError(null);
    try {
      setMatch(await faqApi.search(channelId, text.trim()));
    } catch (err) {
      setMatch(null);
      setError(errorMessage(t, err));
    }
  }

  return (
    <Section title={t('faq.try.title')} description={t('faq.try.lead')}>
      <form onSubmit={(e) => void onSubmit(e)} className="flex flex-wrap items-end gap-3">
        <TextField
          label={t('faq.try.question')}
          value={text}
          maxLength={1000}
          onChange={setText}
          inputClassName="w-96 max-w-full"
        />
        <Button type="submit" variant="secondary" disabled={!text.trim()}>
          {t('faq.try.submit')}
        </Button>
      </form>
      <div aria-live="polite" className="mt-4">
        {error && <Alert tone="error">{error}</Alert>}
        {match?.kind === 'answer' && (
          <Alert
            tone="success"
            title={t('faq.try.answer', { no: match.entry.rowNo, question: match.entry.question })}
          >
            <p className="whitespace-pre-wrap">{match.entry.answer}</p>
            {match.entry.link && <p>{match.entry.link}</p>}
          </Alert>
        )}
        {match?.kind === 'suggestions' && (
          <Alert tone="info" title={t('faq.try.suggestions')}>
            <ul className="ml-5 list-disc">
              {match.entries.map(({ entry }) => (
                <li key={entry.id}>
                  {t('faq.try.suggestion', { no: entry.rowNo, question: entry.question })}
                </li>
              ))}
            </ul>
          </Alert>
        )}
        {match?.kind === 'none' && <Alert tone="warning">{t('faq.try.none')}</Alert>}
      </div>
    </Section>
  );
}
