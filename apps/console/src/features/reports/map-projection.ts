import type { CityBoundaryView, GeoPoint } from '@madoguchi/contracts/reports.ts';

// The offline map of the reports (no tiles): an equirectangular projection of the city boundary's
// bounding box (and of every report, should one lie outside it), east–west shortened by
// cos(latitude) so the city keeps its shape, fitted to a fixed width.

export interface MapFrame {
  width: number;
  height: number;
  /** SVG x, y of a WGS 84 point (y grows southwards). */
  project(lat: number, lng: number): [number, number];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function mapFrame(boundary: CityBoundaryView, points: GeoPoint[], width = 600, pad = 20): MapFrame {
  let minLng = Infinity;
  let maxLng = -Infinity;
  let minLat = Infinity;
  let maxLat = -Infinity;
  const extend = (lng: number, lat: number) => {
    minLng = Math.min(minLng, lng);
    maxLng = Math.max(maxLng, lng);
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
  };
  for (const polygon of boundary.coordinates)
    for (const ring of polygon) for (const [lng, lat] of ring) extend(lng, lat);
  for (const p of points) extend(p.lng, p.lat);
  if (minLng > maxLng) extend(0, 0);
  const cos = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxLng - minLng) * cos, 1e-6);
  const spanY = Math.max(maxLat - minLat, 1e-6);
  const scale = (width - 2 * pad) / Math.max(spanX, spanY);
  // A wide city is as wide as the frame; a tall one is centred in a square frame's width.
  const offsetX = pad + (width - 2 * pad - spanX * scale) / 2;
  return {
    width,
    height: Math.ceil(spanY * scale + 2 * pad),
    project: (lat, lng) => [
      round1(offsetX + (lng - minLng) * cos * scale),
      round1(pad + (maxLat - lat) * scale),
    ],
  };
}

/** The boundary as one SVG path (draw with fill-rule evenodd, so holes stay holes). */
export function boundaryPath(boundary: CityBoundaryView, frame: MapFrame): string {
  return boundary.coordinates
    .flatMap((polygon) =>
      polygon.map((ring) => `M${ring.map(([lng, lat]) => frame.project(lat, lng).join(' ')).join('L')}Z`),
    )
    .join('');
}
