import { Button } from '../../components/Button.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { generatePassword } from '../../lib/format.ts';

/**
 * Initial / temporary password chosen by an administrator. Shown as plain text so it can be read
 * out or written down for the person; they must change it at their first sign-in.
 */
export function PasswordInputWithGenerate({
  label,
  hint,
  value,
  onChange,
  error,
}: {
  label: string;
  hint: string;
  value: string;
  onChange: (value: string) => void;
  error: string | null | undefined;
}) {
  const t = useT();
  return (
    <div className="flex items-end gap-3">
      <TextField
        className="flex-1"
        label={label}
        hint={hint}
        required
        autoComplete="off"
        spellCheck={false}
        value={value}
        onChange={onChange}
        error={error}
        inputClassName="font-mono"
      />
      <Button
        variant="secondary"
        className={error ? 'mb-7' : ''}
        onClick={() => onChange(generatePassword())}
      >
        {t('common.generate')}
      </Button>
    </div>
  );
}
