import type { DisasterType, NearbyShelter } from '@madoguchi/contracts/shelters.ts';
import { request } from '../api/client.ts';

/** The nearest shelters to a point (GET /api/citizen/shelters/nearby, X-03). */
export function nearbyShelters(q: { lat: number; lon: number; openOnly: boolean; types: DisasterType[] }) {
  const params = new URLSearchParams({
    lat: String(q.lat),
    lon: String(q.lon),
    status: q.openOnly ? 'open' : 'all',
    limit: '10',
  });
  if (q.types.length) params.set('types', q.types.join(','));
  return request<{ items: NearbyShelter[] }>('GET', `/api/citizen/shelters/nearby?${params}`);
}
