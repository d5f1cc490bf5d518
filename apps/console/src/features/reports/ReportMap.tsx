import { REPORT_STATUSES, type ReportStatus } from '@madoguchi/contracts/reports.ts';
import { type KeyboardEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { Button } from '../../components/Button.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { type TFunction, useT } from '../../i18n/i18n.tsx';
import { formatNumber } from '../../lib/format.ts';
import { href } from '../../lib/router.tsx';
import { useApi } from '../../lib/useApi.ts';
import { formatJst } from '../deliveries/time.ts';
import { type CityBoundaryView, cityBoundaryPath, type ReportSummary } from './api.ts';
import { reportPagePath, statusKey } from './labels.ts';
import { groupMarkers, type MarkerGroup } from './map-clusters.ts';
import { boundaryPath, mapFrame } from './map-projection.ts';

// The reports on an offline map (R-01 … R-03): the city boundary drawn from the server's GeoJSON (no
// map tiles, so it works without the internet) and one marker per report, coloured and shaped by
// status, each a link to the report. Reports at (nearly) one place are one numbered marker, a button
// that lists them under the map. An aid: the list below it is the accessible alternative.

const MARKER = 9;
/** Markers nearer than this (SVG units, as drawn) would overlap: they are grouped. */
const GROUP_DISTANCE = 2 * MARKER + 4;

const markerName = (t: TFunction, r: ReportSummary) =>
  `${r.category} ${t(statusKey(r.status))} ${formatJst(r.receivedAt)}`;

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

/** The ring a marker shows while it has the keyboard focus. */
function FocusRing({ x, y, size = MARKER + 6 }: { x: number; y: number; size?: number }) {
  return (
    <circle
      cx={x}
      cy={y}
      r={size}
      className="invisible fill-yellow-300 stroke-black stroke-[3] group-focus-visible:visible"
    />
  );
}

/** The numbered marker of reports close together. */
function GroupShape({ x, y, n, open = false }: { x: number; y: number; n: number; open?: boolean }) {
  return (
    <>
      <circle
        cx={x}
        cy={y}
        r={MARKER + 3}
        className={`fill-solid-gray-900 stroke-white ${open ? 'stroke-[4]' : 'stroke-2'}`}
      />
      <text x={x} y={y} dy="0.35em" textAnchor="middle" className="fill-white font-bold text-[12px]">
        {n > 99 ? '99+' : n}
      </text>
    </>
  );
}

export function ReportMap({ reports }: { reports: ReportSummary[] }) {
  const t = useT();
  const headingId = useId();
  const panelId = useId();
  const boundary = useApi<CityBoundaryView>(cityBoundaryPath);
  const drawing = useMemo(() => {
    if (!boundary.data) return null;
    const frame = mapFrame(
      boundary.data,
      reports.map((r) => r.location),
    );
    const placed = reports.map((item) => {
      const [x, y] = frame.project(item.location.lat, item.location.lng);
      return { item, x, y };
    });
    return {
      frame,
      outline: boundaryPath(boundary.data, frame),
      markers: groupMarkers(placed, GROUP_DISTANCE, (r) => r.id),
    };
  }, [boundary.data, reports]);
  const counts = (status: ReportStatus) => reports.filter((r) => r.status === status).length;

  // The open group's list: focus goes to its heading, and back to the marker when it closes.
  const [openKey, setOpenKey] = useState<string | null>(null);
  const open = drawing?.markers.find((m) => m.key === openKey && m.items.length > 1) ?? null;
  const panelHeading = useRef<HTMLHeadingElement>(null);
  const groupMarkersShown = useRef(new Map<string, SVGGElement>());
  useEffect(() => {
    if (openKey) panelHeading.current?.focus();
  }, [openKey]);
  const close = () => {
    if (openKey) groupMarkersShown.current.get(openKey)?.focus();
    setOpenKey(null);
  };
  const toggle = (key: string) => (key === openKey ? close() : setOpenKey(key));
  const onKey = (key: string) => (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      toggle(key);
    }
  };

  const marker = ({ key, x, y, items }: MarkerGroup<ReportSummary>) => {
    const [r] = items;
    if (!r) return null;
    if (items.length === 1) {
      const name = markerName(t, r);
      return (
        <a key={key} href={href(reportPagePath(r.id))} aria-label={name} className="group outline-none">
          <title>{name}</title>
          <FocusRing x={x} y={y} />
          <MarkerShape status={r.status} x={x} y={y} />
        </a>
      );
    }
    const name = t('reports.map.group', { n: formatNumber(items.length) });
    const expanded = key === openKey;
    return (
      // biome-ignore lint/a11y/useSemanticElements: SVG has no <button>; this is one, by role and keys.
      <g
        key={key}
        ref={(el) => {
          if (el) groupMarkersShown.current.set(key, el);
          else groupMarkersShown.current.delete(key);
        }}
        role="button"
        tabIndex={0}
        aria-label={name}
        aria-expanded={expanded}
        aria-controls={expanded ? panelId : undefined}
        onClick={() => toggle(key)}
        onKeyDown={onKey(key)}
        className="group cursor-pointer outline-none"
      >
        <title>{name}</title>
        <FocusRing x={x} y={y} size={MARKER + 9} />
        <GroupShape x={x} y={y} n={items.length} open={expanded} />
      </g>
    );
  };

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
        <li className="inline-flex items-center gap-2 text-std-16N-170">
          <svg width="24" height="24" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <GroupShape x={12} y={12} n={2} />
          </svg>
          {t('reports.map.legendGroup')}
        </li>
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
          {drawing.markers.map(marker)}
        </svg>
      )}
      {open && (
        <section
          id={panelId}
          aria-labelledby={`${panelId}-heading`}
          className="flex flex-col gap-3 rounded-8 border border-solid-gray-420 p-4"
        >
          <h3
            id={`${panelId}-heading`}
            ref={panelHeading}
            tabIndex={-1}
            className="text-std-18B-160 text-solid-gray-900 outline-none"
          >
            {t('reports.map.groupTitle', { n: formatNumber(open.items.length) })}
          </h3>
          <ul className="flex flex-col gap-2">
            {open.items.map((r) => (
              <li key={r.id} className="inline-flex items-center gap-2 text-std-16N-170">
                <svg width="24" height="24" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                  <MarkerShape status={r.status} x={12} y={12} size={8} />
                </svg>
                <a href={href(reportPagePath(r.id))} className="text-blue-1000 underline">
                  {markerName(t, r)}
                </a>
              </li>
            ))}
          </ul>
          <div>
            <Button size="sm" variant="secondary" onClick={close}>
              {t('common.close')}
            </Button>
          </div>
        </section>
      )}
    </section>
  );
}
