import type { ReactNode } from 'react';

/** The talk's header: the account's name and avatar, the last webhook status, the friend controls. */
export function TalkHeader({
  accountName,
  webhook,
  children,
}: {
  accountName: string;
  webhook: string | null;
  /** The friend controls, when a user and a channel are chosen. */
  children?: ReactNode;
}) {
  return (
    <header className="talk-header">
      <div className="account-avatar" aria-hidden="true">
        {accountName.slice(0, 1)}
      </div>
      <div className="talk-title">
        <h1>{accountName}</h1>
        <output className="webhook" aria-label="Webhook応答">
          {webhook ? `Webhook ${webhook}` : ''}
        </output>
      </div>
      {children}
    </header>
  );
}
