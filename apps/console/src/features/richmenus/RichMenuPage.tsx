import { useEffect, useState } from 'react';
import { errorMessage } from '../../api/errors.ts';
import type { Channel } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button, LinkButton } from '../../components/Button.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { useFlash } from '../../lib/flash.ts';
import { formatNumber } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';
import { channelLabel } from '../channels/ChannelSelect.tsx';
import { type Segment, segmentsListPath } from '../segments/segmentTree.ts';
import {
  type PublicationView,
  richMenuPath,
  syncTabGroup,
  type TabGroupView,
  unpublishTabGroup,
} from './api.ts';
import { livePublications, periodLabel, targetLabel } from './labels.ts';
import { PhonePreview } from './PhonePreview.tsx';
import { PublishDialog } from './PublishDialog.tsx';
import { TapCounts } from './TapCounts.tsx';
import { publishToTestFriends } from './testFriends.ts';

/** One tab group (M-01 … M-05, O-08): the phone preview, publishing and its end, tap counts. */
export function RichMenuPage({ id }: { id: string }) {
  const t = useT();
  const flash = useFlash();
  const group = useApi<TabGroupView>(richMenuPath(id));
  const channels = useApi<Channel[]>('/api/channels');
  const g = group.data;
  const segments = useApi<Segment[]>(g ? segmentsListPath(g.channelId) : null);
  const channel = channels.data?.find((c) => c.id === g?.channelId);
  const [message, setMessage] = useState<string | null>(flash);
  const [error, setError] = useState<string | null>(null);
  const [publishing, setPublishing] = useState(false);
  const [ending, setEnding] = useState<PublicationView | null>(null);
  const [busy, setBusy] = useState(false);
  const segmentName = (p: PublicationView) => segments.data?.find((s) => s.id === p.segmentId)?.name;

  async function run(action: () => Promise<TabGroupView>, done: string) {
    setBusy(true);
    setError(null);
    try {
      group.setData(await action());
      setMessage(done);
      await segments.reload(true);
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  }

  // While LINE is being told (links of a segment, an ending), the page follows the job's progress.
  const moving =
    g?.publications.some(
      (p) => ['linking', 'ending'].includes(p.status) || (p.status === 'scheduled' && !p.from),
    ) ?? false;
  useEffect(() => {
    if (!moving) return;
    const timer = window.setInterval(() => void group.reload(true), 2000);
    return () => window.clearInterval(timer);
  }, [moving, group.reload]);

  if (group.error !== null) return <LoadError error={group.error} onRetry={() => void group.reload()} />;
  if (!g) return <Loading />;
  const live = livePublications(g.publications);
  const ready = g.status === 'ready';

  return (
    <>
      <PageHeader
        title={g.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Badge tone={g.kind === 'disaster' ? 'danger' : 'neutral'}>
              {t(`richMenus.kind.${g.kind}` as MessageKey)}
            </Badge>
            {t('richMenus.detailLead', {
              status: ready ? t('richMenus.ready') : t(`richMenus.status.${g.status}` as MessageKey),
            })}
            {channel && ` ・ ${channelLabel(t, channel)}`}
          </span>
        }
        actions={
          <>
            {live.length === 0 && (
              <LinkButton
                to={`/richmenus/${encodeURIComponent(g.id)}/edit`}
                aria-label={t('richMenus.editLabel', { name: g.name })}
              >
                {t('common.edit')}
              </LinkButton>
            )}
            <LinkButton to="/richmenus">{t('common.backToList')}</LinkButton>
          </>
        }
      />
      <div className="flex flex-col gap-6">
        {message && <Alert tone="success">{message}</Alert>}
        {error && <Alert tone="error">{error}</Alert>}
        {g.error && <Alert tone="error">{g.error}</Alert>}
        <Section title={t('richMenus.preview')} description={t('richMenus.previewLead')}>
          <PhonePreview group={g} />
        </Section>
        <Section
          title={t('richMenus.publications')}
          actions={
            <div className="flex flex-wrap gap-3">
              {!ready && (
                <Button
                  variant="secondary"
                  disabled={busy}
                  onClick={() => void run(() => syncTabGroup(g.id), t('richMenus.synced'))}
                >
                  {t('richMenus.sync')}
                </Button>
              )}
              {ready && live.length === 0 && (
                <>
                  <Button
                    variant="secondary"
                    disabled={busy}
                    aria-describedby="richmenu-test-friends-hint"
                    onClick={() =>
                      void run(
                        () => publishToTestFriends(g, t('richMenus.testFriendsSegment')),
                        t('richMenus.published'),
                      )
                    }
                  >
                    {t('richMenus.testFriends')}
                  </Button>
                  <Button disabled={busy} onClick={() => setPublishing(true)}>
                    {t('richMenus.publish')}
                  </Button>
                </>
              )}
            </div>
          }
        >
          {!ready && <Alert tone="warning">{t('richMenus.notReady')}</Alert>}
          {ready && live.length === 0 && (
            <p id="richmenu-test-friends-hint" className="mb-4 text-std-16N-170 text-solid-gray-700">
              {t('richMenus.testFriendsHint')}
            </p>
          )}
          <Table caption={t('richMenus.publications')} hideCaption>
            <thead>
              <tr>
                <Th>{t('richMenus.col.target')}</Th>
                <Th>{t('richMenus.col.period')}</Th>
                <Th>{t('richMenus.col.status')}</Th>
                <Th className="text-right">{t('richMenus.col.linked')}</Th>
                <Th>{t('common.actions')}</Th>
              </tr>
            </thead>
            <tbody>
              {g.publications.length === 0 && (
                <EmptyRow colSpan={5}>{t('richMenus.publicationsEmpty')}</EmptyRow>
              )}
              {g.publications.map((p) => (
                <tr key={p.id} data-testid="publication-row">
                  <Td>{targetLabel(t, p, segmentName(p))}</Td>
                  <Td>{periodLabel(t, p)}</Td>
                  <Td>
                    {t(`richMenus.pub.status.${p.status}` as MessageKey)}
                    {p.error && <span className="block text-dns-14N-130 text-error-1">{p.error}</span>}
                  </Td>
                  <Td className="text-right">{p.target === 'default' ? '—' : formatNumber(p.linkedCount)}</Td>
                  <Td>
                    {live.includes(p) && p.status !== 'ending' && (
                      <Button
                        variant="tertiary"
                        size="sm"
                        aria-label={t('richMenus.unpublishLabel', {
                          target: targetLabel(t, p, segmentName(p)),
                        })}
                        onClick={() => setEnding(p)}
                      >
                        {t('richMenus.unpublish')}
                      </Button>
                    )}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Section>
        <Section title={t('richMenus.taps')} description={t('richMenus.tapsLead')}>
          <TapCounts group={g} />
        </Section>
      </div>
      <PublishDialog
        open={publishing}
        group={g}
        channel={channel}
        segments={segments.data}
        onClose={() => setPublishing(false)}
        onPublished={(view, done) => {
          group.setData(view);
          setPublishing(false);
          setMessage(done);
        }}
      />
      <ConfirmDialog
        open={ending !== null}
        title={t('richMenus.unpublishTitle')}
        message={t('richMenus.unpublishConfirm', {
          name: g.name,
          target: ending ? targetLabel(t, ending, segmentName(ending)) : '',
        })}
        confirmLabel={t('richMenus.unpublish')}
        confirmVariant="danger"
        onClose={() => setEnding(null)}
        onConfirm={async () => {
          if (!ending) return;
          group.setData(await unpublishTabGroup(g.id, ending.id));
          setEnding(null);
          setMessage(t('richMenus.unpublished'));
        }}
      />
    </>
  );
}
