import type { QuestionSummary, SurveyResults } from '@madoguchi/contracts/surveys.ts';
import { RESPONSE_STATUS_LABELS, RESPONSE_STATUSES } from '@madoguchi/contracts/surveys.ts';
import { tokyoDateTime } from '../../platform/tokyo-time.ts';
import { answerFormatter, isChoiceType, loadForm } from '../forms/forms.service.ts';
import { responseAnswers } from './survey-files.ts';
import {
  choiceItemsAnswered,
  numberStats,
  responseCounts,
  responseRows,
  textCounts,
} from './surveys.repository.ts';
import { filterOf, type ResponseQuery, requireSurvey, type SurveyDeps } from './surveys.service.ts';

// The results of a survey: counts per status and per question, computed in the database (choice
// counts from the choice IDs, number statistics from the numbers, text answers from the keys kept
// beside the sealed texts), and the answers as a table for CSV / xlsx, page by page.

export async function surveyResults(deps: SurveyDeps, surveyId: string): Promise<SurveyResults> {
  const row = await requireSurvey(deps.db, surveyId);
  const form = await loadForm(deps.db, row.form_id);
  const items = form.items.filter((i) => i.type !== 'description');
  const numberKeys = items.filter((i) => i.type === 'number' || i.type === 'birth_year').map((i) => i.key);
  const choiceItems = items.filter((i) => isChoiceType(i.type));
  const [counts, numbers, texts, answeredChoices] = await Promise.all([
    responseCounts(deps.db, surveyId),
    numberStats(deps.db, surveyId, numberKeys),
    textCounts(deps.db, surveyId),
    choiceItemsAnswered(
      deps.db,
      surveyId,
      choiceItems.map((i) => ({ key: i.key, ids: i.choices.map((c) => c.id) })),
    ),
  ]);
  const choiceAnswered = new Map(answeredChoices.map((c) => [c.key, c.n]));
  const byChoice = new Map(counts.byChoice.map((c) => [c.choice_id, c.n]));
  const byStatus = Object.fromEntries(RESPONSE_STATUSES.map((s) => [s, 0])) as SurveyResults['byStatus'];
  for (const s of counts.byStatus) byStatus[s.status] = s.n;
  const numberOf = new Map(numbers.map((n) => [n.key, n]));
  const textOf = new Map(texts.map((t) => [t.key, t.n]));
  const questions: QuestionSummary[] = items.map((item) => {
    const base = { key: item.key, label: item.retired ? `${item.label}（廃止）` : item.label };
    if (isChoiceType(item.type)) {
      const counts = item.choices.map((c) => ({ id: c.id, label: c.label, n: byChoice.get(c.id) ?? 0 }));
      return { ...base, kind: 'choices', answered: choiceAnswered.get(item.key) ?? 0, counts };
    }
    if (item.type === 'number' || item.type === 'birth_year') {
      const n = numberOf.get(item.key);
      return {
        ...base,
        kind: 'number',
        answered: n?.answered ?? 0,
        min: n?.min ?? null,
        max: n?.max ?? null,
        mean: n?.mean ?? null,
      };
    }
    return { ...base, kind: 'text', answered: textOf.get(item.key) ?? 0 };
  });
  const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
  return { total, byStatus, questions };
}

const PAGE = 2000;

/**
 * The answers as a table (newest first, the list's filters): header, then rows page by page, 2,000
 * at a time with a turn of the event loop between pages, each page taken from the list index alone
 * (responseRows with its limit), so the time grows with the number of answers and the memory does not
 * (bench/export-memory: the same peak at 200,000 and 400,000 answers).
 */
export async function responseExport(
  deps: SurveyDeps,
  surveyId: string,
  q: Omit<ResponseQuery, 'limit' | 'before'>,
) {
  const row = await requireSurvey(deps.db, surveyId);
  const form = await loadForm(deps.db, row.form_id);
  const shown = { ...form, items: form.items.filter((i) => i.type !== 'description') };
  const cells = answerFormatter(shown);
  const header = [
    '回答ID',
    ...(row.anonymous ? [] : ['回答者（LINE の表示名）']),
    '対応状況',
    '回答日時',
    '更新日時',
    ...shown.items.map(
      (i) => `${i.label}${i.config.staffOnly ? '（管理項目）' : ''}${i.retired ? '（廃止）' : ''}`,
    ),
  ];
  const filter = filterOf(q);
  async function* pages() {
    let before = filter.before;
    for (;;) {
      const rows = await responseRows(deps.db, surveyId, { ...filter, before }, PAGE).execute();
      if (rows.length === 0) return;
      const last = rows[rows.length - 1]!;
      before = { at: last.page_at, id: last.id };
      yield rows.map((r) => [
        r.id,
        ...(row.anonymous ? [] : [r.display_name ?? '']),
        RESPONSE_STATUS_LABELS[r.status],
        tokyoDateTime(r.submitted_at),
        tokyoDateTime(r.updated_at),
        ...cells(responseAnswers(deps.cipher, r)),
      ]);
      if (rows.length < PAGE) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return { header, pages, title: row.title };
}
