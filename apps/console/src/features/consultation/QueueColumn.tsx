import { memo, type ReactNode, useEffect, useId, useState } from 'react';
import type { ConsultationSummary } from '../../api/types.ts';
import { Badge } from '../../components/Badge.tsx';
import { LoadError } from '../../components/LoadState.tsx';
import { Select } from '../../components/Select.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { Link } from '../../lib/router.tsx';
import { OriginBadge, PresenceDot, RiskBadge, timeText, useNow } from './bits.tsx';
import { loadClosed, reloadLists, useConsultationList, useDesks, useLiveMeta } from './live.ts';

type QueueKey = 'waiting' | 'mine' | 'others' | 'closed';

/** Kept while the tab is open, so the column looks the same after visiting another page. */
const prefs: { deskId: string; open: Record<QueueKey, boolean> } = {
  deskId: '',
  open: { waiting: true, mine: true, others: false, closed: false },
};

const CLOSED_SHOWN = 50;

const byOpened = (a: ConsultationSummary, b: ConsultationSummary) => a.openedAt.localeCompare(b.openedAt);
const byClosedDesc = (a: ConsultationSummary, b: ConsultationSummary) =>
  (b.closedAt ?? '').localeCompare(a.closedAt ?? '');

/** Left column of 相談対応: the queues, filtered by desk, updated live. */
export function QueueColumn({ currentId, me }: { currentId: string | undefined; me: string }) {
  const t = useT();
  const list = useConsultationList();
  const { unseen } = useLiveMeta();
  const desks = useDesks();
  const now = useNow();
  const [deskId, setDeskIdState] = useState(prefs.deskId);
  const [open, setOpen] = useState(prefs.open);

  const setDeskId = (value: string) => {
    prefs.deskId = value;
    setDeskIdState(value);
  };
  const toggle = (key: QueueKey) => {
    const next = { ...open, [key]: !open[key] };
    prefs.open = next;
    setOpen(next);
  };

  useEffect(() => {
    if (open.closed) void loadClosed(deskId);
  }, [open.closed, deskId]);

  const queues: Record<QueueKey, ConsultationSummary[]> = { waiting: [], mine: [], others: [], closed: [] };
  for (const c of list.items) {
    if (deskId && c.deskId !== deskId) continue;
    if (c.status === 'waiting') queues.waiting.push(c);
    else if (c.status === 'closed') queues.closed.push(c);
    else if (c.counselorId === me) queues.mine.push(c);
    else queues.others.push(c);
  }
  queues.waiting.sort(byOpened);
  queues.mine.sort(byOpened);
  queues.others.sort(byOpened);
  queues.closed.sort(byClosedDesc);

  const titles: Record<QueueKey, string> = {
    waiting: t('consult.queueWaiting'),
    mine: t('consult.queueMine'),
    others: t('consult.queueOthers'),
    closed: t('consult.queueClosed'),
  };
  const newInWaiting = queues.waiting.filter((c) => unseen.has(c.id)).length;

  return (
    <nav
      aria-label={t('consult.queues')}
      className="flex min-h-0 flex-1 flex-col overflow-y-auto rounded-12 border border-solid-gray-420 bg-white"
    >
      <div className="border-b border-solid-gray-420 p-3">
        <Select
          label={t('consult.deskFilter')}
          value={deskId}
          onChange={setDeskId}
          placeholder={t('consult.allDesks')}
          options={(desks.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
        />
      </div>
      {list.error !== null && !list.loaded && (
        <div className="p-3">
          <LoadError error={list.error} onRetry={() => void reloadLists()} />
        </div>
      )}
      {(['waiting', 'mine', 'others', 'closed'] as const).map((key) => (
        <Queue
          key={key}
          title={titles[key]}
          count={key === 'closed' ? null : queues[key].length}
          extra={
            key === 'waiting' && newInWaiting > 0 ? t('consult.newCount', { count: newInWaiting }) : null
          }
          open={open[key]}
          onToggle={() => toggle(key)}
        >
          {key === 'closed' && list.closedError !== null && <LoadError error={list.closedError} />}
          <QueueList
            items={key === 'closed' ? queues.closed.slice(0, CLOSED_SHOWN) : queues[key]}
            currentId={currentId}
            unseen={unseen}
            now={now}
            showCounselor={key === 'others' || key === 'closed'}
          />
        </Queue>
      ))}
    </nav>
  );
}

function Queue({
  title,
  count,
  extra,
  open,
  onToggle,
  children,
}: {
  title: string;
  count: number | null;
  extra: string | null;
  open: boolean;
  onToggle: () => void;
  children: ReactNode;
}) {
  const t = useT();
  const id = useId();
  return (
    <section aria-labelledby={`${id}-h`} className="border-b border-solid-gray-420 last:border-b-0">
      <h2 id={`${id}-h`} className="text-dns-16B-130">
        <button
          type="button"
          aria-expanded={open}
          aria-controls={`${id}-list`}
          onClick={onToggle}
          className="flex min-h-11 w-full items-center gap-2 bg-solid-gray-50 px-3 py-2 text-left text-solid-gray-900 hover:bg-solid-gray-100 hover:underline"
        >
          <svg
            aria-hidden="true"
            viewBox="0 0 16 16"
            className={`size-4 shrink-0 fill-solid-gray-800 ${open ? '' : '-rotate-90'}`}
          >
            <path d="M8 11.5 2.5 6l1.1-1.1L8 9.3l4.4-4.4L13.5 6z" />
          </svg>
          <span>{title}</span>
          {count !== null && (
            <span className="rounded-full border border-solid-gray-536 bg-white px-2 text-dns-14B-130 whitespace-nowrap">
              {t('consult.queueCount', { count })}
            </span>
          )}
          {extra && <Badge tone="danger">{extra}</Badge>}
        </button>
      </h2>
      <div id={`${id}-list`} hidden={!open}>
        {open && children}
      </div>
    </section>
  );
}

function QueueList({
  items,
  currentId,
  unseen,
  now,
  showCounselor,
}: {
  items: ConsultationSummary[];
  currentId: string | undefined;
  unseen: ReadonlySet<string>;
  now: number;
  showCounselor: boolean;
}) {
  const t = useT();
  if (items.length === 0) {
    return <p className="px-3 py-3 text-dns-14N-130 text-solid-gray-700">{t('consult.queueEmpty')}</p>;
  }
  return (
    <ul>
      {items.map((c) => (
        <QueueRow
          key={c.id}
          c={c}
          current={c.id === currentId}
          isNew={unseen.has(c.id)}
          now={now}
          showCounselor={showCounselor}
        />
      ))}
    </ul>
  );
}

/** One row; memoised so a live event re-renders only the row that changed. */
const QueueRow = memo(function QueueRow({
  c,
  current,
  isNew,
  now,
  showCounselor,
}: {
  c: ConsultationSummary;
  current: boolean;
  isNew: boolean;
  now: number;
  showCounselor: boolean;
}) {
  const t = useT();
  return (
    <li className="border-t border-solid-gray-200 first:border-t-0">
      <Link
        to={`/consultations/${encodeURIComponent(c.id)}`}
        aria-current={current ? 'page' : undefined}
        className={`flex flex-col gap-1 border-l-4 px-3 py-2 hover:bg-solid-gray-50 ${
          current ? 'border-blue-900 bg-blue-50' : 'border-transparent'
        }`}
      >
        <span className="flex items-center gap-2">
          <PresenceDot online={c.presence.online} />
          <span className="min-w-0 flex-1 truncate text-dns-16B-130 text-solid-gray-900 underline-offset-2 hover:underline">
            {c.consulteeLabel}
          </span>
          {isNew && <Badge tone="danger">{t('consult.newBadge')}</Badge>}
        </span>
        <span className="flex flex-wrap items-center gap-x-2 gap-y-1 text-dns-14N-130 text-solid-gray-700">
          <OriginBadge origin={c.origin} />
          <span className="min-w-0 truncate">{c.deskName}</span>
          <span className="whitespace-nowrap">{timeText(t, c, now)}</span>
          {c.riskFlagged && <RiskBadge />}
        </span>
        {showCounselor && c.counselorName && (
          <span className="truncate text-dns-14N-130 text-solid-gray-700">
            {t('consult.counselor')}: {c.counselorName}
          </span>
        )}
      </Link>
    </li>
  );
});
