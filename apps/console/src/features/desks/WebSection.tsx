import { Checkbox } from '../../components/Checkbox.tsx';
import { Section } from '../../components/Section.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { type DeskSectionProps, fieldSetter } from './deskForm.ts';

/** Web相談: web access, its access code (write-only) and the concurrent limit. */
export function WebSection({
  form,
  setForm,
  errors,
  hasAccessCode,
}: DeskSectionProps & { hasAccessCode: boolean }) {
  const t = useT();
  const set = fieldSetter(setForm);
  return (
    <Section title={t('desks.webSection')}>
      <div className="flex flex-col gap-5">
        <Checkbox label={t('desks.webEnabled')} checked={form.webEnabled} onChange={set('webEnabled')} />
        <TextField
          label={t('desks.accessCode')}
          hint={hasAccessCode ? t('desks.accessCodeHintSet') : t('desks.accessCodeHintUnset')}
          value={form.accessCode}
          onChange={set('accessCode')}
          error={errors.accessCode}
          disabled={form.clearAccessCode}
          autoComplete="off"
          spellCheck={false}
          inputClassName="max-w-80 font-mono"
        />
        {hasAccessCode && (
          <Checkbox
            label={t('desks.accessCodeClear')}
            checked={form.clearAccessCode}
            onChange={(v) =>
              setForm((f) => ({ ...f, clearAccessCode: v, accessCode: v ? '' : f.accessCode }))
            }
          />
        )}
        <TextField
          label={t('desks.maxConcurrent')}
          hint={t('desks.maxConcurrentHint')}
          required
          inputMode="numeric"
          value={form.maxConcurrent}
          onChange={set('maxConcurrent')}
          error={errors.maxConcurrent}
          inputClassName="max-w-32"
        />
      </div>
    </Section>
  );
}
