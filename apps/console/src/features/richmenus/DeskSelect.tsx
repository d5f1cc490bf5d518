import type { Desk } from '../../api/types.ts';
import { useCan } from '../../auth/AuthContext.tsx';
import { Select } from '../../components/Select.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useApi } from '../../lib/useApi.ts';

/**
 * The consultation desk a 相談 page opens directly (optional, M-05): chosen from the desks when the
 * account may list them, else typed as the desk's identifier.
 */
export function DeskSelect({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (slug: string) => void;
  error: string | undefined;
}) {
  const t = useT();
  const can = useCan();
  const desks = useApi<Desk[]>(can('consultation.handle') ? '/api/desks' : null);
  if (desks.data) {
    return (
      <Select
        label={t('richMenus.desk')}
        hint={t('richMenus.deskHint')}
        value={value}
        onChange={onChange}
        placeholder={t('richMenus.deskAny')}
        options={desks.data.map((d) => ({ value: d.slug, label: d.name }))}
        error={error}
        selectClassName="w-80 max-w-full"
      />
    );
  }
  return (
    <TextField
      label={t('richMenus.deskSlug')}
      hint={t('richMenus.deskHint')}
      value={value}
      maxLength={50}
      onChange={(v) => onChange(v.trim())}
      error={error}
      inputClassName="max-w-80"
    />
  );
}
