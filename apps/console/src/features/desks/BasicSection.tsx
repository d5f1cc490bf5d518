import type { Channel } from '../../api/types.ts';
import { Section } from '../../components/Section.tsx';
import { Select } from '../../components/Select.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { type DeskSectionProps, fieldSetter } from './deskForm.ts';

/** 基本情報: name, slug, description and the LINE channel (offered only when the channels can be read). */
export function BasicSection({
  form,
  setForm,
  errors,
  channels,
}: DeskSectionProps & { channels: Channel[] | undefined }) {
  const t = useT();
  const set = fieldSetter(setForm);
  return (
    <Section title={t('desks.basicSection')}>
      <div className="grid grid-cols-2 gap-x-6 gap-y-5">
        <TextField
          label={t('desks.name')}
          hint={t('desks.nameHint')}
          required
          value={form.name}
          onChange={set('name')}
          error={errors.name}
        />
        <TextField
          label={t('desks.slug')}
          hint={t('desks.slugHint')}
          required
          value={form.slug}
          onChange={set('slug')}
          error={errors.slug}
          spellCheck={false}
          autoComplete="off"
          inputClassName="font-mono"
        />
        <TextArea
          label={t('desks.description')}
          hint={t('desks.descriptionHint')}
          value={form.description}
          onChange={set('description')}
          error={errors.description}
          rows={2}
          className="col-span-2"
        />
        {channels && (
          <Select
            label={t('desks.channel')}
            value={form.channelId}
            onChange={set('channelId')}
            placeholder={t('desks.noChannel')}
            options={channels.map((c) => ({ value: c.id, label: c.name }))}
            error={errors.channelId}
          />
        )}
      </div>
    </Section>
  );
}
