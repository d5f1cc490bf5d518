import { useState } from 'react';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { formatNumber } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';
import { isDate } from '../deliveries/time.ts';
import { type TabGroupView, type TapCounts as Taps, tapsPath } from './api.ts';
import { describeAction } from './labels.ts';

/**
 * Tap counts per tab and area (O-08), optionally over a period (Asia/Tokyo days). Taps are kept over
 * edits: areas an edit replaced (and matching no current one) follow each tab's areas, marked.
 */
export function TapCounts({ group }: { group: TabGroupView }) {
  const t = useT();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const taps = useApi<Taps>(tapsPath(group.id, isDate(from) ? from : undefined, isDate(to) ? to : undefined));
  const count = (areaId: string) => taps.data?.find((r) => r.areaId === areaId)?.taps ?? 0;
  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-wrap gap-4">
        <TextField label={t('richMenus.tapsFrom')} type="date" value={from} onChange={setFrom} />
        <TextField label={t('richMenus.tapsTo')} type="date" value={to} onChange={setTo} />
      </div>
      {taps.error !== null && <LoadError error={taps.error} onRetry={() => void taps.reload()} />}
      {taps.loading && !taps.data && <Loading />}
      {taps.data &&
        group.tabs.map((tab, n) => (
          <Table key={tab.id} caption={t('richMenus.tapsTable', { n: n + 1, label: tab.label })}>
            <thead>
              <tr>
                <Th>{t('richMenus.col.area')}</Th>
                <Th>{t('richMenus.col.action')}</Th>
                <Th className="text-right">{t('richMenus.col.taps')}</Th>
              </tr>
            </thead>
            <tbody>
              {tab.areas.length === 0 && <EmptyRow colSpan={3}>{t('richMenus.areaNone')}</EmptyRow>}
              {tab.areas.map((a, i) => (
                <tr key={a.id}>
                  <Td>
                    {t('richMenus.areaN', { n: i + 1 })}
                    {a.label ? `「${a.label}」` : ''}
                  </Td>
                  <Td>{describeAction(t, a.action)}</Td>
                  <Td className="text-right tabular-nums" data-testid={`taps-${n}-${i}`}>
                    {formatNumber(count(a.id))}
                  </Td>
                </tr>
              ))}
              {(taps.data ?? [])
                .filter((r) => r.earlier && r.tabPosition === n)
                .map((r) => (
                  <tr key={`earlier-${r.areaPosition}-${r.label ?? ''}`}>
                    <Td>
                      {t('richMenus.areaEarlier', { n: r.areaPosition + 1 })}
                      {r.label ? `「${r.label}」` : ''}
                    </Td>
                    <Td>{t('richMenus.actionEarlier')}</Td>
                    <Td className="text-right tabular-nums">{formatNumber(r.taps)}</Td>
                  </tr>
                ))}
            </tbody>
          </Table>
        ))}
    </div>
  );
}
