import {
  type ManualChapter,
  type ManualChapterSummary,
  type ManualSearchResult,
  manualRoute,
} from '@madoguchi/contracts/manual.ts';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Button } from '../../components/Button.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { Link, navigate, useQueryParam } from '../../lib/router.tsx';
import { useApi } from '../../lib/useApi.ts';

// The staff manual inside the console (O-01, issue 16): the contents with a search box
// (#/manual?q=…), and one chapter (#/manual/<chapter>, #/manual/<chapter>/<section>) rendered by
// the server from docs/manual, its screenshots served by /api/manual/images. The manual is in
// Japanese whatever the console's language: its text is marked lang="ja".

const linkClass = 'text-blue-1000 underline underline-offset-[0.1875rem] hover:decoration-[0.1875rem]';

/** The contents and the search. */
export function ManualIndexPage() {
  const t = useT();
  const q = useQueryParam('q');
  const [draft, setDraft] = useState(q);
  const chapters = useApi<{ chapters: ManualChapterSummary[] }>('/api/manual');
  const results = useApi<ManualSearchResult>(q ? `/api/manual/search?q=${encodeURIComponent(q)}` : null);

  useEffect(() => setDraft(q), [q]);

  const search = (e: FormEvent) => {
    e.preventDefault();
    const word = draft.trim();
    navigate(word ? `/manual?q=${encodeURIComponent(word)}` : '/manual');
  };

  return (
    <>
      <PageHeader title={t('manual.title')} description={t('manual.lead')} manual={null} />
      <div className="flex flex-col gap-6">
        <search>
          <form noValidate onSubmit={search} className="flex flex-wrap items-end gap-3">
            <TextField
              label={t('manual.searchLabel')}
              hint={t('manual.searchHint')}
              value={draft}
              onChange={setDraft}
              type="search"
              maxLength={100}
              inputClassName="max-w-120"
              className="min-w-72 flex-1"
            />
            <Button type="submit">{t('common.search')}</Button>
          </form>
        </search>

        {q && (
          <Section title={t('manual.results')}>
            {results.loading ? (
              <Loading />
            ) : results.error ? (
              <LoadError error={results.error} onRetry={() => void results.reload()} />
            ) : results.data ? (
              <>
                <p role="status" className="mb-4 text-std-16N-170">
                  {results.data.hits.length
                    ? t('manual.resultCount', { q, count: results.data.hits.length })
                    : t('manual.noResults', { q })}
                  {results.data.truncated &&
                    ` ${t('manual.resultTruncated', { count: results.data.hits.length })}`}
                </p>
                <ol className="flex flex-col gap-4" aria-label={t('manual.results')} lang="ja">
                  {results.data.hits.map((hit) => (
                    <li key={`${hit.chapter}#${hit.section ?? ''}`}>
                      <Link
                        to={manualRoute(hit.section ? `${hit.chapter}#${hit.section}` : hit.chapter)}
                        className={`text-std-17B-170 ${linkClass}`}
                      >
                        {hit.chapterTitle}
                        {hit.sectionTitle && ` — ${hit.sectionTitle}`}
                      </Link>
                      <p className="text-std-16N-170 text-solid-gray-700">{hit.snippet}</p>
                    </li>
                  ))}
                </ol>
              </>
            ) : null}
          </Section>
        )}

        <Section title={t('manual.chapters')}>
          {chapters.error ? (
            <LoadError error={chapters.error} onRetry={() => void chapters.reload()} />
          ) : !chapters.data ? (
            <Loading />
          ) : (
            <ul className="flex flex-col gap-2" lang="ja">
              {chapters.data.chapters.map((c) => (
                <li key={c.slug}>
                  <Link to={manualRoute(c.slug)} className={`text-std-16B-170 ${linkClass}`}>
                    {c.title}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </Section>
      </div>
    </>
  );
}

/** One chapter; `section` (a heading's anchor) is scrolled to and focused. */
export function ManualChapterPage({ chapter, section }: { chapter: string; section?: string }) {
  const t = useT();
  const { data, error, reload } = useApi<ManualChapter>(`/api/manual/${encodeURIComponent(chapter)}`);
  const article = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!data || !section) return;
    const heading = article.current?.querySelector<HTMLElement>(`[id="manual-${CSS.escape(section)}"]`);
    if (!heading) return;
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
    heading.scrollIntoView({ block: 'start' });
  }, [data, section]);

  if (error) return <LoadError error={error} onRetry={() => void reload()} />;
  if (!data) return <Loading />;
  return (
    <>
      <PageHeader
        title={data.title}
        manual={null}
        actions={
          <Link to="/manual" className={`text-std-16N-170 ${linkClass}`}>
            {t('manual.backToIndex')}
          </Link>
        }
      />
      <div className="flex flex-col-reverse gap-8 lg:flex-row lg:items-start">
        <div
          ref={article}
          className="manual-prose min-w-0 max-w-240 flex-1"
          lang="ja"
          data-testid="manual-article"
          // The server renders the manual (docs/manual, ours) with raw HTML escaped and links and
          // images rewritten (modules/manual/manual.service.ts); no script or inline style in it.
          // biome-ignore lint/security/noDangerouslySetInnerHtml: rendered and escaped by the server
          dangerouslySetInnerHTML={{ __html: data.html }}
        />
        {data.sections.length > 0 && (
          <nav aria-label={t('manual.sections')} className="lg:sticky lg:top-4 lg:w-72 lg:shrink-0">
            <h2 className="mb-2 text-std-17B-170 text-solid-gray-900">{t('manual.sections')}</h2>
            <ul className="flex flex-col gap-1 text-dns-16N-130" lang="ja">
              {data.sections.map((s) => (
                <li key={s.slug} className={s.level === 3 ? 'pl-4' : ''}>
                  <Link to={manualRoute(`${data.slug}#${s.slug}`)} className={linkClass}>
                    {s.title}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </div>
    </>
  );
}
