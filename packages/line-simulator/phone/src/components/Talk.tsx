import { memo, type ReactNode, useEffect, useLayoutEffect, useRef } from 'react';
import type { TimelineEntry } from '../types.ts';
import { MessageBoundary } from './MessageBoundary.tsx';
import { isWide, MessageContent } from './MessageContent.tsx';

const VIA_LABEL: Record<string, string> = {
  reply: '応答',
  push: 'プッシュ',
  multicast: 'マルチキャスト',
  broadcast: '一斉配信',
  narrowcast: 'セグメント配信',
};
const WEEKDAY = ['日', '月', '火', '水', '木', '金', '土'];

function time(at: number): string {
  const d = new Date(at);
  return `${d.getHours()}:${String(d.getMinutes()).padStart(2, '0')}`;
}

function day(at: number): string {
  const d = new Date(at);
  return `${d.getMonth() + 1}月${d.getDate()}日(${WEEKDAY[d.getDay()]})`;
}

const Entry = memo(function Entry({ entry, accountName }: { entry: TimelineEntry; accountName: string }) {
  const wide = isWide(entry.message);
  if (entry.from === 'user') {
    return (
      <li className={`msg user${wide ? ' wide' : ''}`} data-from="user" data-type={entry.message.type}>
        <div className="msg-row">
          <div className="meta">
            {entry.state === 'sending' && <span>送信中</span>}
            {entry.state === 'failed' && <span className="failed">送信失敗</span>}
            <time dateTime={new Date(entry.at).toISOString()}>{time(entry.at)}</time>
          </div>
          <MessageBoundary altText={entry.message.altText}>
            <MessageContent message={entry.message} />
          </MessageBoundary>
        </div>
      </li>
    );
  }
  const name = entry.message.sender?.name ?? accountName;
  const icon = entry.message.sender?.iconUrl;
  return (
    <li className={`msg account${wide ? ' wide' : ''}`} data-from="account" data-type={entry.message.type}>
      <div className="avatar" aria-hidden="true">
        {icon ? <img src={icon} alt="" /> : name.slice(0, 1)}
      </div>
      <div className="msg-main">
        <div className="sender">{name}</div>
        <div className="msg-row">
          <MessageBoundary altText={entry.message.altText}>
            <MessageContent message={entry.message} />
          </MessageBoundary>
          <div className="meta">
            {entry.via && <span>{VIA_LABEL[entry.via] ?? entry.via}</span>}
            <time dateTime={new Date(entry.at).toISOString()}>{time(entry.at)}</time>
          </div>
        </div>
      </div>
    </li>
  );
});

/** The talk: what the account sent and what the user sent, oldest first, kept scrolled to the end. */
export function Talk({
  entries,
  accountName,
  loading,
  children,
}: {
  entries: TimelineEntry[];
  accountName: string;
  loading: boolean;
  children?: ReactNode;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const count = useRef(0);

  const toBottom = () => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  };

  const shown = entries.length + (loading ? 1 : 0);
  useLayoutEffect(() => {
    if (shown > count.current) {
      stick.current = true;
      toBottom();
    }
    count.current = shown;
  }, [shown]);

  // Images and carousels grow after they load: stay at the bottom if the user was there.
  useEffect(() => {
    const el = content.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (stick.current) toBottom();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  let lastDay = '';
  return (
    <div
      className="talk"
      ref={scroller}
      onScroll={() => {
        const el = scroller.current;
        if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
      }}
    >
      <div ref={content}>
        {children}
        <div role="log" aria-label="トーク">
          <ol className="timeline">
            {entries.flatMap((entry) => {
              const d = day(entry.at);
              const items = [];
              if (d !== lastDay) {
                lastDay = d;
                items.push(
                  <li key={`day-${entry.id}`} className="day" aria-hidden="true">
                    <span>{d}</span>
                  </li>,
                );
              }
              items.push(<Entry key={`${entry.from}-${entry.id}`} entry={entry} accountName={accountName} />);
              return items;
            })}
            {loading && (
              <li className="msg account" data-from="account" data-type="loading">
                <div className="avatar" aria-hidden="true">
                  {accountName.slice(0, 1)}
                </div>
                <div className="bubble typing" role="status" aria-label="応答を準備中">
                  <span />
                  <span />
                  <span />
                </div>
              </li>
            )}
          </ol>
        </div>
      </div>
    </div>
  );
}
