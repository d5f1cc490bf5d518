import type { DisasterType } from '@madoguchi/contracts/shelters.ts';
import { JAPAN_BOUNDS, shelterMapUrl } from '@madoguchi/contracts/shelters.ts';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { insideJapan } from './shelter-csv.ts';
import {
  knnShelterRows,
  type NearbyFilter,
  type ShelterRecord,
  type ShelterStatusValue,
  shelterRowsWithinDegrees,
} from './shelters.repository.ts';

// The nearest shelters to a point, ranked by true (great-circle) distance, exactly.
//
// The GiST index orders by planar distance in degrees, d = sqrt(Δφ² + Δλ²), which overweights
// longitude by 1/cos φ, so its order is not the true order. Two steps make the answer exact:
// 1. KNN (`<->`) takes the `limit` nearest by d; the largest haversine distance among them, D, is an
//    upper bound of the true `limit`-th nearest distance (there are `limit` sites within D).
// 2. Every site within true distance D has planar distance d ≤ D / (R · cos φmax), where φmax is the
//    largest |latitude| on the great-circle path, at most |φ| + D/R (every point of the path is within
//    D of the searched point). Because ds² = R²(dφ² + cos²φ dλ²) ≥ R² cos²φmax (dφ² + dλ²) along the
//    path, the path is at least R · cos φmax times its image in the (φ, λ) plane, which is at least d.
//    So fetching every site inside that planar circle (`<@ circle`, also through the GiST index)
//    and ranking them by haversine distance gives the exact nearest `limit`.
// In Japan (φ ≤ 46°) the circle's radius is at most ~1.45 × the planar radius of step 1, so step 2
// reads a handful of rows more than step 1.

export const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

export function haversineMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** The planar radius in degrees that holds every site within `meters` of a point at `lat`. */
export function degreeRadiusFor(lat: number, meters: number): number {
  const angle = meters / EARTH_RADIUS_M; // radians
  const phiMax = Math.min(Math.abs(rad(lat)) + angle, rad(89));
  // A little slack for floating point; a larger circle never makes the answer wrong.
  return ((angle / Math.cos(phiMax)) * 180) / Math.PI + 1e-9;
}

export interface NearbyRow extends ShelterRecord {
  distanceMeters: number;
}

export const outsideJapan = () =>
  new AppError(
    400,
    'SHELTER_LOCATION_OUTSIDE_JAPAN',
    `日本国内の位置を指定してください（緯度 ${JAPAN_BOUNDS.minLat}〜${JAPAN_BOUNDS.maxLat}、経度 ${JAPAN_BOUNDS.minLon}〜${JAPAN_BOUNDS.maxLon}）`,
  );

export async function nearestShelters(
  db: Db | Transaction<Database>,
  q: {
    lat: number;
    lon: number;
    statuses: readonly ShelterStatusValue[];
    types?: readonly DisasterType[];
    limit: number;
  },
): Promise<NearbyRow[]> {
  if (!insideJapan(q.lat, q.lon)) throw outsideJapan();
  const filter: NearbyFilter = { lat: q.lat, lon: q.lon, statuses: q.statuses, types: q.types ?? [] };
  const first = await knnShelterRows(db, filter, q.limit);
  const withDistance = (rows: ShelterRecord[]) =>
    rows.map((r) => ({ ...r, distanceMeters: haversineMeters(q.lat, q.lon, r.latitude, r.longitude) }));
  if (first.length < q.limit) {
    // Fewer sites than asked for match at all: these are all of them.
    return withDistance(first).sort(byDistance);
  }
  const bound = Math.max(...withDistance(first).map((r) => r.distanceMeters));
  const candidates = await shelterRowsWithinDegrees(db, filter, degreeRadiusFor(q.lat, bound));
  return withDistance(candidates).sort(byDistance).slice(0, q.limit);
}

const byDistance = (a: NearbyRow, b: NearbyRow) =>
  a.distanceMeters - b.distanceMeters || a.external_id.localeCompare(b.external_id);

export const mapUrlOf = (r: { latitude: number; longitude: number }) =>
  shelterMapUrl(r.latitude, r.longitude);

/** "350 m", "1.2 km", "12 km". */
export function formatDistance(meters: number): string {
  if (meters < 1000) return `${Math.round(meters / 10) * 10} m`;
  if (meters < 10_000) return `${(meters / 1000).toFixed(1)} km`;
  return `${Math.round(meters / 1000)} km`;
}
