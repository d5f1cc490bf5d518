import type { FollowState } from '../types.ts';

/** What the talk says when there is nothing to talk about yet (no channel, no user, not a friend, blocked). */
export function TalkNotices({
  noChannels,
  noUsers,
  chosen,
  followState,
}: {
  noChannels: boolean;
  noUsers: boolean;
  /** A user and a channel are chosen. */
  chosen: boolean;
  followState: FollowState;
}) {
  return (
    <>
      {noChannels && <p className="notice">公式アカウント（チャネル）がありません。</p>}
      {noUsers && <p className="notice">「新しいユーザー」でユーザーを作成してください。</p>}
      {chosen && followState === 'none' && (
        <p className="notice">「友だち追加」すると、メッセージを送ったり受け取ったりできます。</p>
      )}
      {chosen && followState === 'blocked' && (
        <p className="notice">この公式アカウントをブロックしています。</p>
      )}
    </>
  );
}
