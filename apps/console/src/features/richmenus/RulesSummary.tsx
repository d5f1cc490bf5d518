import type { RichMenuIssue } from '@madoguchi/contracts/richmenus-rules.ts';
import { Alert } from '../../components/Alert.tsx';
import { useT } from '../../i18n/i18n.tsx';

/** LINE's rules, and what the draft breaks of them now (the server checks the same rules on save). */
export function RulesSummary({
  issues,
  total,
  max,
}: {
  issues: RichMenuIssue[];
  total: number;
  max: number;
}) {
  const t = useT();
  return (
    <div
      className="flex flex-col gap-3 rounded-8 border border-solid-gray-420 p-4"
      data-testid="richmenu-rules"
    >
      <p className="text-std-16B-170">{t('richMenus.rulesTitle')}</p>
      <p className="text-std-16N-170 text-solid-gray-700">{t('richMenus.rules')}</p>
      <p className={total > max ? 'text-dns-16B-130 text-error-1' : 'text-dns-16N-130'}>
        {t('richMenus.totalAreas', { count: total, max })}
      </p>
      {issues.length === 0 ? (
        <Alert tone="success">{t('richMenus.rulesOk')}</Alert>
      ) : (
        <Alert tone="warning" title={t('richMenus.rulesProblems', { count: issues.length })}>
          <ul className="list-disc pl-5">
            {issues.map((i) => (
              <li key={`${i.code}-${i.path}`}>{i.message}</li>
            ))}
          </ul>
        </Alert>
      )}
    </div>
  );
}
