import type { QuestionSummary } from '@madoguchi/contracts/surveys.ts';
import { useT } from '../../i18n/i18n.tsx';
import { formatNumber } from '../../lib/format.ts';
import { percentText } from './answerText.ts';

/**
 * 集計: per question a table of its choices (count and share as text, the bar only decoration),
 * the minimum / maximum / mean of a number, or how many answered a free text.
 */
export function QuestionSummaries({ questions }: { questions: QuestionSummary[] }) {
  const t = useT();
  if (questions.length === 0)
    return <p className="text-std-16N-170 text-solid-gray-700">{t('surveys.results.noQuestions')}</p>;
  return (
    <div className="flex flex-col gap-6">
      {questions.map((q) => (
        <div key={q.key} className="flex flex-col gap-2">
          <h3 className="text-std-18B-160 text-solid-gray-900">{q.label}</h3>
          <p className="text-std-16N-170 text-solid-gray-700">
            {t('surveys.results.answered', { count: formatNumber(q.answered) })}
          </p>
          {q.kind === 'choices' && <ChoiceTable label={q.label} counts={q.counts} answered={q.answered} />}
          {q.kind === 'number' && (
            <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 text-std-16N-170">
              <dt className="font-bold">{t('surveys.results.min')}</dt>
              <dd>{q.min === null ? t('common.none') : formatNumber(q.min)}</dd>
              <dt className="font-bold">{t('surveys.results.max')}</dt>
              <dd>{q.max === null ? t('common.none') : formatNumber(q.max)}</dd>
              <dt className="font-bold">{t('surveys.results.mean')}</dt>
              <dd>{q.mean === null ? t('common.none') : formatNumber(Math.round(q.mean * 100) / 100)}</dd>
            </dl>
          )}
        </div>
      ))}
    </div>
  );
}

function ChoiceTable({
  label,
  counts,
  answered,
}: {
  label: string;
  counts: { id: string; label: string; n: number }[];
  answered: number;
}) {
  const t = useT();
  return (
    <div className="overflow-x-auto">
      <table className="w-full max-w-3xl border-collapse text-left">
        <caption className="sr-only">{t('surveys.results.choiceCaption', { label })}</caption>
        <thead>
          <tr>
            <th scope="col" className="border-b-2 border-solid-gray-420 px-2 py-2 text-dns-16B-130">
              {t('surveys.results.choice')}
            </th>
            <th
              scope="col"
              className="border-b-2 border-solid-gray-420 px-2 py-2 text-right text-dns-16B-130"
            >
              {t('surveys.results.count')}
            </th>
            <th
              scope="col"
              className="border-b-2 border-solid-gray-420 px-2 py-2 text-right text-dns-16B-130"
            >
              {t('surveys.results.share')}
            </th>
            <th scope="col" className="w-1/3 border-b-2 border-solid-gray-420 px-2 py-2">
              <span className="sr-only">{t('surveys.results.bar')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {counts.map((c) => {
            const share = answered > 0 ? (c.n / answered) * 100 : 0;
            return (
              <tr key={c.id}>
                <th
                  scope="row"
                  className="border-b border-solid-gray-420 px-2 py-2 text-dns-16N-130 font-normal"
                >
                  {c.label}
                </th>
                <td className="border-b border-solid-gray-420 px-2 py-2 text-right text-dns-16N-130">
                  {formatNumber(c.n)}
                </td>
                <td className="border-b border-solid-gray-420 px-2 py-2 text-right text-dns-16N-130">
                  {percentText(c.n, answered)}
                </td>
                <td className="border-b border-solid-gray-420 px-2 py-2">
                  <div aria-hidden="true" className="h-4 w-full rounded-4 bg-solid-gray-50">
                    <div
                      className="h-4 rounded-4 bg-blue-900"
                      style={{ width: `${Math.min(100, share)}%` }}
                    />
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
