import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CityBoundaryView } from '@madoguchi/contracts/reports.ts';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon, Position } from 'geojson';

// The city boundary: a GeoJSON of the city's area (by default Ichikawa's, from 国土数値情報,
// data/NOTICE.md); a fault report whose place is outside every polygon of it is refused.

export const DEFAULT_BOUNDARY_FILE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'data',
  'boundary-ichikawa.geojson',
);

export interface CityBoundary {
  /** Whether the point (WGS 84) is inside the city (on the boundary line counts as inside). */
  contains(lat: number, lng: number): boolean;
  /** Every polygon of the file as one MultiPolygon, simplified for drawing (the console's map). */
  outline: CityBoundaryView;
}

type Geometry = Polygon | MultiPolygon;

function geometriesOf(doc: unknown): Geometry[] {
  const node = doc as { type?: string; features?: unknown[]; geometry?: unknown; geometries?: unknown[] };
  switch (node?.type) {
    case 'FeatureCollection':
      return (node.features ?? []).flatMap(geometriesOf);
    case 'Feature':
      return geometriesOf(node.geometry);
    case 'GeometryCollection':
      return (node.geometries ?? []).flatMap(geometriesOf);
    case 'Polygon':
    case 'MultiPolygon':
      return [node as Geometry];
    default:
      return [];
  }
}

const round5 = (n: number) => Math.round(n * 1e5) / 1e5;

/** A ring with its coordinates rounded to 5 decimals and the points that became the same dropped. */
function simplifiedRing(ring: Position[]): [number, number][] {
  const out: [number, number][] = [];
  for (const p of ring) {
    const q: [number, number] = [round5(p[0]!), round5(p[1]!)];
    const last = out[out.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  return out;
}

function outlineOf(polygons: Geometry[]): CityBoundaryView {
  const rings = polygons.flatMap((g) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates));
  return {
    type: 'MultiPolygon',
    coordinates: rings
      .map((polygon) => polygon.map(simplifiedRing).filter((ring) => ring.length >= 4))
      .filter((polygon) => polygon.length > 0),
  };
}

/** Reads the boundary; throws (stopping the start-up) when the file has no polygon. */
export function loadCityBoundary(file: string = DEFAULT_BOUNDARY_FILE): CityBoundary {
  const polygons = geometriesOf(JSON.parse(readFileSync(file, 'utf8')));
  if (polygons.length === 0) throw new Error(`CITY_BOUNDARY_FILE ${file}: no Polygon or MultiPolygon in it`);
  return {
    outline: outlineOf(polygons),
    contains(lat, lng) {
      const point = [lng, lat];
      return polygons.some((p) => booleanPointInPolygon(point, p));
    },
  };
}
