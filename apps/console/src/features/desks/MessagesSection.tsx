import { Section } from '../../components/Section.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { type DeskSectionProps, fieldSetter } from './deskForm.ts';

/** メッセージ: the greeting and the out-of-hours reply. */
export function MessagesSection({ form, setForm, errors }: DeskSectionProps) {
  const t = useT();
  const set = fieldSetter(setForm);
  return (
    <Section title={t('desks.messagesSection')}>
      <div className="flex flex-col gap-5">
        <TextArea
          label={t('desks.greeting')}
          hint={t('desks.greetingHint')}
          value={form.greeting}
          onChange={set('greeting')}
          error={errors.greeting}
          rows={3}
        />
        <TextArea
          label={t('desks.outOfHoursReply')}
          hint={t('desks.outOfHoursReplyHint')}
          value={form.outOfHoursReply}
          onChange={set('outOfHoursReply')}
          error={errors.outOfHoursReply}
          rows={3}
        />
      </div>
    </Section>
  );
}
