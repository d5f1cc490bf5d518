import { Checkbox } from '../../components/Checkbox.tsx';
import { Section } from '../../components/Section.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { isCounselor, type StaffAccount } from '../consultation/counselors.ts';
import { type DeskSectionProps, fieldSetter } from './deskForm.ts';

/** 担当の相談員 (offered only when the accounts can be read: accounts.view). */
export function CounselorsSection({
  form,
  setForm,
  staff,
}: Omit<DeskSectionProps, 'errors'> & { staff: StaffAccount[] }) {
  const t = useT();
  const set = fieldSetter(setForm);
  return (
    <Section title={t('desks.counselorsSection')} description={t('desks.counselorsHint')}>
      <CounselorChecklist staff={staff} selected={form.counselorIds} onChange={set('counselorIds')} />
    </Section>
  );
}

/**
 * 担当の相談員: accounts that may handle consultations (every account when the roles are unknown), plus
 * any account already assigned, so that it can be unticked.
 */
function CounselorChecklist({
  staff,
  selected,
  onChange,
}: {
  staff: StaffAccount[];
  selected: string[];
  onChange: (ids: string[]) => void;
}) {
  const t = useT();
  const shown = staff.filter((a) => isCounselor(a) || selected.includes(a.id));
  if (shown.length === 0) return <p className="text-std-16N-170">{t('desks.counselorsEmpty')}</p>;
  return (
    <fieldset>
      <legend className="sr-only">{t('desks.counselorsSection')}</legend>
      <div className="grid grid-cols-3 gap-x-6">
        {shown.map((a) => (
          <Checkbox
            key={a.id}
            label={t(a.disabled ? 'desks.counselorDisabled' : 'desks.counselorLabel', {
              name: a.displayName,
              loginId: a.loginId,
            })}
            checked={selected.includes(a.id)}
            onChange={(checked) =>
              onChange(checked ? [...selected, a.id] : selected.filter((id) => id !== a.id))
            }
          />
        ))}
      </div>
    </fieldset>
  );
}
