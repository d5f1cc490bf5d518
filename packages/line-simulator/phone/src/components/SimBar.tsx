import type { Channel, SimUser } from '../types.ts';

/** The simulator's top bar: 公式アカウント and ユーザー pickers, and 新しいユーザー. */
export function SimBar({
  channels,
  channelId,
  onChannel,
  users,
  userId,
  onUser,
  onNewUser,
}: {
  channels: Channel[] | undefined;
  channelId: string | null;
  onChannel: (channelId: string | null) => void;
  users: SimUser[] | undefined;
  userId: string | null;
  onUser: (userId: string | null) => void;
  onNewUser: () => void;
}) {
  return (
    <div className="simbar">
      <div className="picker">
        <label htmlFor="channel-picker">公式アカウント</label>
        <select
          id="channel-picker"
          value={channelId ?? ''}
          onChange={(e) => onChannel(e.target.value || null)}
        >
          {!channels?.length && <option value="">（なし）</option>}
          {channels?.map((c) => (
            <option key={c.channelId} value={c.channelId}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <div className="picker">
        <label htmlFor="user-picker">ユーザー</label>
        <select id="user-picker" value={userId ?? ''} onChange={(e) => onUser(e.target.value || null)}>
          {!users?.some((u) => u.userId === userId) && (
            <option value={userId ?? ''}>{userId ? '（読み込み中）' : '（なし）'}</option>
          )}
          {users?.map((u) => (
            <option key={u.userId} value={u.userId}>
              {u.displayName}
            </option>
          ))}
        </select>
      </div>
      <button
        type="button"
        className="icon-button new-user"
        aria-label="新しいユーザー"
        title="新しいユーザー"
        onClick={onNewUser}
      >
        <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
          <path
            d="M10 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm0 2c-3.3 0-8 1.7-8 5v1h12.5a6 6 0 0 1-.5-2.4c0-1.3.4-2.5 1.1-3.5-1.7-.1-3.4-.1-5.1-.1zm9 0v3h3v2h-3v3h-2v-3h-3v-2h3v-3z"
            fill="currentColor"
          />
        </svg>
      </button>
    </div>
  );
}
