import type { Channel } from '../../api/types.ts';
import { Select } from '../../components/Select.tsx';
import { type TFunction, useT } from '../../i18n/i18n.tsx';

/** デモ市（本番） / Demo City (Production): a channel with its environment. */
export const channelLabel = (t: TFunction, c: Pick<Channel, 'name' | 'environment'>) =>
  t('channels.nameWithEnv', {
    name: c.name,
    env: c.environment === 'production' ? t('channels.production') : t('channels.test'),
  });

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
        label: channelLabel(t, c),
      }))}
    />
  );
}
