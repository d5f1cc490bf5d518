import { useState } from 'react';
import { api } from '../../api/client.ts';
import { Button, LinkButton } from '../../components/Button.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { type TFunction, useT } from '../../i18n/i18n.tsx';
import { useFlash } from '../../lib/flash.ts';
import { formatDateTimeMinutes } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';
import { ChannelListPage, useChannelScope } from '../channels/ChannelListPage.tsx';
import {
  describeTree,
  type RegistrationForm,
  registrationFormPath,
  type Segment,
  type SegmentTree,
  segmentsListPath,
} from './segmentTree.ts';

/** A readable one-line summary of a tree, with the registration form's labels. */
export function summarize(t: TFunction, tree: SegmentTree, form: RegistrationForm | undefined): string {
  const items = new Map((form?.items ?? []).map((i) => [i.id, i]));
  const choices = new Map((form?.items ?? []).flatMap((i) => i.choices.map((c) => [c.id, c.label] as const)));
  const unknown = t('segments.sum.unknown');
  const range = (a?: number | string, b?: number | string) => [a ?? '', b ?? ''] as const;
  return describeTree(tree, {
    and: t('segments.sum.and'),
    or: t('segments.sum.or'),
    not: (text) => t('segments.sum.not', { text }),
    item: (id) => items.get(id)?.label ?? unknown,
    choice: (id) => choices.get(id) ?? unknown,
    match: { any: t('segments.sum.any'), all: t('segments.sum.all'), none: t('segments.sum.none') },
    birthYear: (label, from, to) => {
      const [f, e] = range(from, to);
      return t('segments.sum.birthYear', { label, from: f, to: e });
    },
    age: (label, min, max) => {
      const [f, e] = range(min, max);
      return t('segments.sum.age', { label, min: f, max: e });
    },
    registered: (v) => (v ? t('segments.registered.yes') : t('segments.registered.no')),
    followedAt: (from, to) => {
      const [f, e] = range(from, to);
      return t('segments.sum.followedAt', { from: f, to: e });
    },
    test: (v) => (v ? t('segments.test.yes') : t('segments.test.no')),
  });
}

/** セグメント (#/segments): saved segments of a channel, with links to create / edit and delete. */
export function SegmentsPage() {
  const t = useT();
  const flash = useFlash();
  const scope = useChannelScope();
  const { channelId, ready } = scope;
  const segments = useApi<Segment[]>(ready ? segmentsListPath(channelId) : null);
  const form = useApi<RegistrationForm>(ready ? registrationFormPath(channelId) : null);
  const [deleting, setDeleting] = useState<Segment | null>(null);
  const [message, setMessage] = useState<string | null>(flash);

  return (
    <>
      <ChannelListPage
        scope={scope}
        title={t('segments.title')}
        description={t('segments.lead')}
        actions={
          <LinkButton to="/segments/new" variant="primary">
            {t('segments.add')}
          </LinkButton>
        }
        message={message}
        list={segments}
      >
        {segments.data && (
          <Table caption={t('segments.table')} hideCaption>
            <thead>
              <tr>
                <Th>{t('segments.name')}</Th>
                <Th>{t('segments.conditions')}</Th>
                <Th>{t('segments.updatedAt')}</Th>
                <Th>{t('common.actions')}</Th>
              </tr>
            </thead>
            <tbody>
              {segments.data.length === 0 && <EmptyRow colSpan={4}>{t('segments.empty')}</EmptyRow>}
              {segments.data.map((s) => (
                <tr key={s.id}>
                  <Td className="font-bold">{s.name}</Td>
                  <Td className="max-w-xl text-std-16N-170">{summarize(t, s.tree, form.data)}</Td>
                  <Td className="whitespace-nowrap">{formatDateTimeMinutes(s.updatedAt)}</Td>
                  <Td>
                    <div className="flex flex-wrap gap-2">
                      <LinkButton
                        to={`/segments/${encodeURIComponent(s.id)}/edit`}
                        size="sm"
                        aria-label={t('segments.editLabel', { name: s.name })}
                      >
                        {t('common.edit')}
                      </LinkButton>
                      <Button
                        variant="tertiary"
                        size="sm"
                        aria-label={t('segments.deleteLabel', { name: s.name })}
                        onClick={() => setDeleting(s)}
                      >
                        {t('common.delete')}
                      </Button>
                    </div>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </ChannelListPage>
      <ConfirmDialog
        open={deleting !== null}
        title={t('segments.deleteTitle')}
        message={t('segments.deleteConfirm', { name: deleting?.name ?? '' })}
        confirmLabel={t('common.delete')}
        confirmVariant="danger"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await api.delete(`/api/segments/${encodeURIComponent(deleting.id)}`);
          setDeleting(null);
          setMessage(t('segments.deleted'));
          await segments.reload(true);
        }}
      />
    </>
  );
}
