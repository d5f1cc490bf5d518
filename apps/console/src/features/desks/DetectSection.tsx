import { Section } from '../../components/Section.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { type DeskSectionProps, fieldSetter } from './deskForm.ts';

/** 検知: risk words and keywords. */
export function DetectSection({ form, setForm, errors }: DeskSectionProps) {
  const t = useT();
  const set = fieldSetter(setForm);
  return (
    <Section title={t('desks.detectSection')}>
      <div className="grid grid-cols-2 gap-5">
        <TextArea
          label={t('desks.riskWords')}
          hint={t('desks.riskWordsHint')}
          value={form.riskWords}
          onChange={set('riskWords')}
          error={errors.riskWords}
          rows={6}
        />
        <TextArea
          label={t('desks.keywords')}
          hint={t('desks.keywordsHint')}
          value={form.keywords}
          onChange={set('keywords')}
          error={errors.keywords}
          rows={6}
        />
      </div>
    </Section>
  );
}
