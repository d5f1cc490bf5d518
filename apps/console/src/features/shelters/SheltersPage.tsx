import {
  DISASTER_TYPE_LABELS,
  SHELTER_KIND_LABELS,
  SHELTER_STATUS_LABELS,
  SHELTER_STATUSES,
  type ShelterStatus,
} from '@madoguchi/contracts/shelter-constants.ts';
import type { ShelterView } from '@madoguchi/contracts/shelters.ts';
import { type FormEvent, useState } from 'react';
import { api, query } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import { useCan } from '../../auth/AuthContext.tsx';
import { Alert } from '../../components/Alert.tsx';
import { Badge, type BadgeTone } from '../../components/Badge.tsx';
import { Button, LinkButton } from '../../components/Button.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Pagination } from '../../components/Pagination.tsx';
import { Select } from '../../components/Select.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTimeMinutes, formatNumber } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';

// 避難所の開設状況: a phone-first list; each shelter has one button per status (44 px or
// more), so one tap sets it. The server audits every change and records its time.

type ShelterList = { items: ShelterView[]; total: number; counts: Record<string, number> };

const LIMIT = 100;

export const STATUS_TONES: Record<ShelterStatus, BadgeTone> = {
  open: 'success',
  closed_not_opened: 'neutral',
  full: 'warning',
  shut: 'danger',
};

export function SheltersPage() {
  const { t, locale } = useI18n();
  const can = useCan();
  const [text, setText] = useState('');
  const [status, setStatus] = useState('');
  const [applied, setApplied] = useState({ q: '', status: '' });
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [offset, setOffset] = useState(0);
  const list = useApi<ShelterList>(
    `/api/shelters${query({ q: applied.q, status: applied.status, limit: LIMIT, offset })}`,
  );
  const label = (s: ShelterStatus) => SHELTER_STATUS_LABELS[s][locale];

  async function change(shelter: ShelterView, next: ShelterStatus) {
    setBusy(shelter.id);
    setNotice(null);
    try {
      const updated = await api.put<ShelterView>(`/api/shelters/${shelter.id}/status`, { status: next });
      if (list.data) {
        list.setData({
          ...list.data,
          items: list.data.items.map((s) => (s.id === updated.id ? updated : s)),
        });
      }
      setNotice({
        tone: 'success',
        text: t('shelters.changed', { name: shelter.name, status: label(next) }),
      });
      void list.reload(true);
    } catch (err) {
      setNotice({ tone: 'error', text: `${t('shelters.changeFailed')} ${errorMessage(t, err)}` });
    } finally {
      setBusy(null);
    }
  }

  function onSearch(event: FormEvent) {
    event.preventDefault();
    setApplied({ q: text.trim(), status });
    setOffset(0);
  }

  const counts = list.data?.counts ?? {};
  return (
    <>
      <PageHeader
        title={t('shelters.title')}
        description={t('shelters.lead')}
        actions={
          can('shelters.manage') ? (
            <LinkButton to="/shelter-import">{t('shelters.importLink')}</LinkButton>
          ) : undefined
        }
      />
      <search className="mb-4 block">
        <form
          noValidate
          onSubmit={onSearch}
          className="flex flex-wrap items-end gap-3 rounded-12 border border-solid-gray-420 bg-solid-gray-50 p-4"
        >
          <TextField
            label={t('shelters.search')}
            type="search"
            value={text}
            onChange={setText}
            className="w-full sm:w-64"
          />
          <Select
            label={t('shelters.filterStatus')}
            value={status}
            onChange={setStatus}
            options={[
              { value: '', label: t('shelters.filterAll') },
              ...SHELTER_STATUSES.map((s) => ({ value: s, label: label(s) })),
            ]}
            className="w-full sm:w-40"
          />
          <Button type="submit">{t('common.search')}</Button>
        </form>
      </search>
      <p className="mb-3 text-std-16N-170 text-solid-gray-800">
        {t('shelters.summary', {
          open: counts.open ?? 0,
          full: counts.full ?? 0,
          shut: counts.shut ?? 0,
          notOpened: counts.closed_not_opened ?? 0,
        })}
      </p>
      <div aria-live="polite">{notice && <Alert tone={notice.tone}>{notice.text}</Alert>}</div>
      {list.error !== null && list.data === undefined ? (
        <LoadError error={list.error} onRetry={() => void list.reload()} />
      ) : list.data === undefined ? (
        <Loading />
      ) : list.data.items.length === 0 ? (
        <p className="py-6 text-std-16N-170">
          {applied.q || applied.status ? t('shelters.empty') : t('shelters.none')}
        </p>
      ) : (
        <ul className="flex flex-col gap-3" aria-label={t('shelters.count', { count: list.data.total })}>
          {list.data.items.map((s) => (
            <li key={s.id} className="rounded-12 border border-solid-gray-420 bg-white p-4">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <h2 className="text-std-18B-160 text-solid-gray-900">{s.name}</h2>
                <Badge tone={STATUS_TONES[s.status]}>
                  {t('shelters.current', { status: label(s.status) })}
                </Badge>
              </div>
              <p className="text-std-16N-170 text-solid-gray-800">
                {s.address}
                <span className="ml-2 text-dns-14N-130 text-solid-gray-700">
                  {SHELTER_KIND_LABELS[s.kind][locale]}
                </span>
              </p>
              <p className="text-dns-14N-130 text-solid-gray-700">
                {s.disasterTypes.length
                  ? t('shelters.types', {
                      types: s.disasterTypes.map((d) => DISASTER_TYPE_LABELS[d][locale]).join(' / '),
                    })
                  : t('shelters.noTypes')}
                {s.capacity !== null &&
                  ` ・ ${t('shelters.capacity', { capacity: formatNumber(s.capacity) })}`}
              </p>
              <p className="text-dns-14N-130 text-solid-gray-700">
                {s.statusChangedAt
                  ? t('shelters.changedAt', {
                      at: formatDateTimeMinutes(s.statusChangedAt),
                      by: s.statusChangedBy ?? '',
                    })
                  : t('shelters.neverChanged')}
              </p>
              <fieldset className="mt-3">
                <legend className="sr-only">{s.name}</legend>
                <div className="grid grid-cols-2 gap-2 sm:grid-cols-4">
                  {SHELTER_STATUSES.map((next) => (
                    <Button
                      key={next}
                      variant={s.status === next ? 'primary' : 'secondary'}
                      className="w-full"
                      aria-pressed={s.status === next}
                      aria-label={t('shelters.setStatus', { name: s.name, status: label(next) })}
                      disabled={busy === s.id}
                      onClick={() => void change(s, next)}
                    >
                      {label(next)}
                    </Button>
                  ))}
                </div>
              </fieldset>
            </li>
          ))}
        </ul>
      )}
      {list.data && list.data.total > LIMIT && (
        <Pagination offset={offset} limit={LIMIT} total={list.data.total} onChange={setOffset} />
      )}
    </>
  );
}
