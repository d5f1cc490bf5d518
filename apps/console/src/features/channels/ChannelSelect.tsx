import type { Channel } from '../../api/types.ts';
import { Select } from '../../components/Select.tsx';
import { useT } from '../../i18n/i18n.tsx';

/** Channel selector shared by the dashboard and the friends list. Label: 「チャネル」. */
export function ChannelSelect({
  channels,
  value,
  onChange,
  widthClassName = 'w-96',
}: {
  channels: Channel[];
  value: string;
  onChange: (id: string) => void;
  widthClassName?: string;
}) {
  const t = useT();
  return (
    <Select
      label={t('dashboard.channel')}
      value={value}
      onChange={onChange}
      selectClassName={`${widthClassName} max-w-full`}
      options={channels.map((c) => ({
        value: c.id,
        label: `${c.name}（${c.environment === 'production' ? t('channels.production') : t('channels.test')}）`,
      }))}
    />
  );
}
