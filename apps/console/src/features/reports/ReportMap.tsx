import { REPORT_STATUSES, type ReportStatus } from '@madoguchi/contracts/reports.ts';
import { useId, useMemo } from 'react';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { formatNumber } from '../../lib/format.ts';
import { href } from '../../lib/router.tsx';
import { useApi } from '../../lib/useApi.ts';
import { formatJst } from '../deliveries/time.ts';
import { type CityBoundaryView, cityBoundaryPath, type ReportSummary } from './api.ts';
import { reportPagePath, statusKey } from './labels.ts';
import { boundaryPath, mapFrame } from './map-projection.ts';

// The reports on an offline map (R-01 … R-03): the city boundary drawn from the server's GeoJSON (no
// map tiles, so it works without the internet) and one marker per report, coloured and shaped by
// status, each a link to the report. An aid: the list below it is the accessible alternative.

const MARKER = 9;

/** Fill per status (3:1 against white and the boundary's fill), and a shape, so colour is not all. */
const STATUS_FILL: Record<ReportStatus, string> = {
  received: 'fill-orange-800',
  in_progress: 'fill-blue-900',
  done: 'fill-green-800',
  rejected: 'fill-solid-gray-600',
};

function MarkerShape({
  status,
  x,
  y,
  size = MARKER,
}: {
  status: ReportStatus;
  x: number;
  y: number;
  size?: number;
}) {
  const className = `${STATUS_FILL[status]} stroke-white stroke-2`;
  switch (status) {
    case 'received':
      return <circle cx={x} cy={y} r={size} className={className} />;
    case 'in_progress':
      return (
        <rect
          x={x - size * 0.85}
          y={y - size * 0.85}
          width={size * 1.7}
          height={size * 1.7}
          className={className}
        />
      );
    case 'done':
      return (
        <path
          d={`M${x} ${y - size * 1.15}L${x + size * 1.1} ${y + size * 0.8}L${x - size * 1.1} ${y + size * 0.8}Z`}
          className={className}
        />
      );
    case 'rejected':
      return (
        <path
          d={`M${x} ${y - size}L${x + size} ${y}L${x} ${y + size}L${x - size} ${y}Z`}
          className={className}
        />
      );
  }
}

export function ReportMap({ reports }: { reports: ReportSummary[] }) {
  const t = useT();
  const headingId = useId();
  const boundary = useApi<CityBoundaryView>(cityBoundaryPath);
  const drawing = useMemo(() => {
    if (!boundary.data) return null;
    const frame = mapFrame(
      boundary.data,
      reports.map((r) => r.location),
    );
    return { frame, outline: boundaryPath(boundary.data, frame) };
  }, [boundary.data, reports]);
  const counts = (status: ReportStatus) => reports.filter((r) => r.status === status).length;

  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-3">
      <h2 id={headingId} className="text-std-20B-150 text-solid-gray-900">
        {t('reports.map.title')}
      </h2>
      <p className="text-dns-14N-130 text-solid-gray-700">{t('reports.map.hint')}</p>
      <ul aria-label={t('reports.map.legend')} className="flex flex-wrap gap-x-6 gap-y-2">
        {REPORT_STATUSES.map((s) => (
          <li key={s} className="inline-flex items-center gap-2 text-std-16N-170">
            <svg width="24" height="24" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              <MarkerShape status={s} x={12} y={12} size={8} />
            </svg>
            {t('reports.map.legendItem', { status: t(statusKey(s)), n: formatNumber(counts(s)) })}
          </li>
        ))}
      </ul>
      {boundary.error !== null && <LoadError error={boundary.error} onRetry={() => void boundary.reload()} />}
      {!drawing && boundary.error === null && <Loading />}
      {drawing && (
        <svg
          viewBox={`0 0 ${drawing.frame.width} ${drawing.frame.height}`}
          className="h-auto max-h-[36rem] w-full rounded-8 border border-solid-gray-420 bg-white"
        >
          <title>{t('reports.map.label', { n: formatNumber(reports.length) })}</title>
          <path
            d={drawing.outline}
            fillRule="evenodd"
            className="fill-solid-gray-50 stroke-solid-gray-600 stroke-[1.5]"
          />
          {reports.map((r) => {
            const [x, y] = drawing.frame.project(r.location.lat, r.location.lng);
            const name = `${r.category} ${t(statusKey(r.status))} ${formatJst(r.receivedAt)}`;
            return (
              <a
                key={r.id}
                href={href(reportPagePath(r.id))}
                aria-label={name}
                className="group outline-none"
              >
                <title>{name}</title>
                <circle
                  cx={x}
                  cy={y}
                  r={MARKER + 6}
                  className="invisible fill-yellow-300 stroke-black stroke-[3] group-focus-visible:visible"
                />
                <MarkerShape status={r.status} x={x} y={y} />
              </a>
            );
          })}
        </svg>
      )}
    </section>
  );
}
