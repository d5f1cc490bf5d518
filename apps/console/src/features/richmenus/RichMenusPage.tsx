import { useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import { Badge } from '../../components/Badge.tsx';
import { Button, LinkButton } from '../../components/Button.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { useFlash } from '../../lib/flash.ts';
import { formatDateTimeMinutes } from '../../lib/format.ts';
import { Link } from '../../lib/router.tsx';
import { useApi } from '../../lib/useApi.ts';
import { ChannelListPage, useChannelScope } from '../channels/ChannelListPage.tsx';
import { type Segment, segmentsListPath } from '../segments/segmentTree.ts';
import { deleteTabGroup, richMenuPath, richMenusPath, type TabGroupList, type TabGroupView } from './api.ts';
import { livePublications, publicationState } from './labels.ts';

/**
 * The list's summaries carry only `published`; the state (既定 / セグメント / 予約 from–until) is in
 * each group's view, read for every listed group.
 */
function useGroupViews(list: TabGroupList | undefined) {
  const [views, setViews] = useState<Record<string, TabGroupView>>({});
  useEffect(() => {
    if (!list || list.length === 0) return;
    const controller = new AbortController();
    Promise.all(
      list.map((g) => api.get<TabGroupView>(richMenuPath(g.id), { signal: controller.signal })),
    ).then(
      (all) => setViews(Object.fromEntries(all.map((v) => [v.id, v]))),
      () => {},
    );
    return () => controller.abort();
  }, [list]);
  return views;
}

/** リッチメニュー (#/richmenus): the channel's tab groups, their kind, tabs and publication state. */
export function RichMenusPage() {
  const t = useT();
  const flash = useFlash();
  const scope = useChannelScope();
  const { channelId, ready } = scope;
  const groups = useApi<TabGroupList>(ready ? richMenusPath(channelId) : null);
  const segments = useApi<Segment[]>(ready ? segmentsListPath(channelId) : null);
  const views = useGroupViews(groups.data);
  const [deleting, setDeleting] = useState<{ id: string; name: string } | null>(null);
  const [message, setMessage] = useState<string | null>(flash);
  const segmentName = (id: string | null) => segments.data?.find((s) => s.id === id)?.name;

  return (
    <>
      <ChannelListPage
        scope={scope}
        title={t('richMenus.title')}
        description={t('richMenus.lead')}
        actions={
          <LinkButton to="/richmenus/new" variant="primary">
            {t('richMenus.add')}
          </LinkButton>
        }
        message={message}
        list={groups}
      >
        {groups.data && (
          <Table caption={t('richMenus.table')} hideCaption>
            <thead>
              <tr>
                <Th>{t('richMenus.col.name')}</Th>
                <Th>{t('richMenus.col.kind')}</Th>
                <Th>{t('richMenus.col.tabs')}</Th>
                <Th>{t('richMenus.col.state')}</Th>
                <Th>{t('richMenus.col.updatedAt')}</Th>
                <Th>{t('common.actions')}</Th>
              </tr>
            </thead>
            <tbody>
              {groups.data.length === 0 && <EmptyRow colSpan={6}>{t('richMenus.empty')}</EmptyRow>}
              {groups.data.map((g) => {
                const live = livePublications(views[g.id]?.publications ?? []);
                return (
                  <tr key={g.id} data-testid="richmenu-row">
                    <Td className="font-bold">
                      <Link
                        to={`/richmenus/${encodeURIComponent(g.id)}`}
                        className="text-blue-1000 underline"
                      >
                        {g.name}
                      </Link>
                      {g.status !== 'ready' && (
                        <span className="ml-2">
                          <Badge tone={g.status === 'failed' ? 'danger' : 'warning'}>
                            {t(`richMenus.status.${g.status}` as MessageKey)}
                          </Badge>
                        </span>
                      )}
                    </Td>
                    <Td>
                      <Badge tone={g.kind === 'disaster' ? 'danger' : 'neutral'}>
                        {t(`richMenus.kind.${g.kind}` as MessageKey)}
                      </Badge>
                    </Td>
                    <Td className="whitespace-nowrap">{t('richMenus.tabCount', { count: g.tabCount })}</Td>
                    <Td data-testid="richmenu-state">
                      {live.length === 0
                        ? g.published
                          ? t('richMenus.state.default')
                          : t('richMenus.state.none')
                        : live.map((p) => (
                            <span key={p.id} className="block">
                              {publicationState(t, p, segmentName(p.segmentId) ?? undefined)}
                            </span>
                          ))}
                    </Td>
                    <Td className="whitespace-nowrap">{formatDateTimeMinutes(g.updatedAt)}</Td>
                    <Td>
                      <div className="flex flex-wrap gap-2">
                        <LinkButton
                          to={`/richmenus/${encodeURIComponent(g.id)}`}
                          size="sm"
                          aria-label={t('richMenus.open', { name: g.name })}
                        >
                          {t('richMenus.open.short')}
                        </LinkButton>
                        {!g.published && live.length === 0 && (
                          <>
                            <LinkButton
                              to={`/richmenus/${encodeURIComponent(g.id)}/edit`}
                              size="sm"
                              aria-label={t('richMenus.editLabel', { name: g.name })}
                            >
                              {t('common.edit')}
                            </LinkButton>
                            <Button
                              variant="tertiary"
                              size="sm"
                              aria-label={t('richMenus.deleteLabel', { name: g.name })}
                              onClick={() => setDeleting(g)}
                            >
                              {t('common.delete')}
                            </Button>
                          </>
                        )}
                      </div>
                    </Td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
        )}
      </ChannelListPage>
      <ConfirmDialog
        open={deleting !== null}
        title={t('richMenus.deleteTitle')}
        message={t('richMenus.deleteConfirm', { name: deleting?.name ?? '' })}
        confirmLabel={t('common.delete')}
        confirmVariant="danger"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await deleteTabGroup(deleting.id);
          setDeleting(null);
          setMessage(t('richMenus.deleted'));
          await groups.reload(true);
        }}
      />
    </>
  );
}
