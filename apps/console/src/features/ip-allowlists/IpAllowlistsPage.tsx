import type { IpAllowlists } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useApi } from '../../lib/useApi.ts';
import { AllowlistEditor } from './AllowlistEditor.tsx';

export function IpAllowlistsPage() {
  const t = useT();
  const lists = useApi<IpAllowlists>('/api/ip-allowlists');
  return (
    <>
      <PageHeader title={t('ip.title')} description={t('ip.lead')} />
      {lists.error !== null && <LoadError error={lists.error} onRetry={() => void lists.reload()} />}
      {lists.loading && !lists.data && <Loading />}
      {lists.data && (
        <div className="flex flex-col gap-6">
          <Alert tone="info">
            <p className="text-std-17B-170" data-testid="client-ip">
              {t('ip.yourIp', { ip: lists.data.clientIp })}
            </p>
            <p>{t('ip.emptyMeansAll')}</p>
          </Alert>
          <AllowlistEditor
            area="admin"
            title={t('ip.admin')}
            description={t('ip.adminLead')}
            initial={lists.data.admin}
            clientIp={lists.data.clientIp}
          />
          <AllowlistEditor
            area="counselor"
            title={t('ip.counselor')}
            description={t('ip.counselorLead')}
            initial={lists.data.counselor}
            clientIp={lists.data.clientIp}
          />
        </div>
      )}
    </>
  );
}
