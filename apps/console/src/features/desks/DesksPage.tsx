import type { Desk } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { LinkButton } from '../../components/Button.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useFlash } from '../../lib/flash.ts';
import { useApi } from '../../lib/useApi.ts';

/** 窓口設定 (#/desks): the consultation desks, with links to add / edit. */
export function DesksPage() {
  const t = useT();
  const desks = useApi<Desk[]>('/api/desks');
  const flash = useFlash();

  return (
    <>
      <PageHeader
        title={t('desks.title')}
        description={t('desks.lead')}
        actions={
          <LinkButton to="/desks/new" variant="primary">
            {t('desks.add')}
          </LinkButton>
        }
      />
      {flash && (
        <Alert tone="success" className="mb-4">
          {flash}
        </Alert>
      )}
      {desks.error !== null && <LoadError error={desks.error} onRetry={() => void desks.reload()} />}
      {desks.loading && !desks.data && <Loading />}
      {desks.data && (
        <Table caption={t('desks.title')} hideCaption>
          <thead>
            <tr>
              <Th>{t('desks.name')}</Th>
              <Th>{t('desks.slug')}</Th>
              <Th>{t('desks.openNow')}</Th>
              <Th>{t('desks.web')}</Th>
              <Th>{t('desks.maxConcurrent')}</Th>
              <Th>{t('common.actions')}</Th>
            </tr>
          </thead>
          <tbody>
            {desks.data.length === 0 && <EmptyRow colSpan={6}>{t('desks.empty')}</EmptyRow>}
            {desks.data.map((desk) => (
              <tr key={desk.id}>
                <Td className="font-bold">{desk.name}</Td>
                <Td className="font-mono">{desk.slug}</Td>
                <Td>
                  {desk.openNow ? (
                    <Badge tone="success">{t('desks.openYes')}</Badge>
                  ) : (
                    <Badge tone="neutral">{t('desks.openNo')}</Badge>
                  )}
                </Td>
                <Td>{desk.webEnabled ? t('desks.webYes') : t('desks.webNo')}</Td>
                <Td>{desk.maxConcurrent}</Td>
                <Td>
                  <LinkButton
                    to={`/desks/${encodeURIComponent(desk.id)}/edit`}
                    size="sm"
                    aria-label={`${t('common.edit')}: ${desk.name}`}
                  >
                    {t('common.edit')}
                  </LinkButton>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
