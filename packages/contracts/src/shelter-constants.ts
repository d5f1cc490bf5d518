// Shelter constants without zod (X-03 … X-05): the web apps import these at run time, so that zod's
// schemas (and their eval probe, which a strict CSP reports) stay out of their bundles.

/** The hazards a site is designated for (the 災害種別_* columns of both CSV layouts), in their order. */
export const DISASTER_TYPES = [
  'flood',
  'landslide',
  'storm_surge',
  'earthquake',
  'tsunami',
  'large_fire',
  'inland_flooding',
  'volcano',
] as const;
export type DisasterType = (typeof DISASTER_TYPES)[number];

export const DISASTER_TYPE_LABELS: Record<DisasterType, { ja: string; en: string }> = {
  flood: { ja: '洪水', en: 'Flood' },
  landslide: { ja: '崖崩れ・土石流・地滑り', en: 'Landslide' },
  storm_surge: { ja: '高潮', en: 'Storm surge' },
  earthquake: { ja: '地震', en: 'Earthquake' },
  tsunami: { ja: '津波', en: 'Tsunami' },
  large_fire: { ja: '大規模な火事', en: 'Large fire' },
  inland_flooding: { ja: '内水氾濫', en: 'Inland flooding' },
  volcano: { ja: '火山現象', en: 'Volcano' },
};

/** 開設 / 未開設 / 満員 / 閉鎖. A site is imported as not opened; only `open` sites are offered. */
export const SHELTER_STATUSES = ['open', 'closed_not_opened', 'full', 'shut'] as const;
export type ShelterStatus = (typeof SHELTER_STATUSES)[number];

export const SHELTER_STATUS_LABELS: Record<ShelterStatus, { ja: string; en: string }> = {
  open: { ja: '開設', en: 'Open' },
  closed_not_opened: { ja: '未開設', en: 'Not opened' },
  full: { ja: '満員', en: 'Full' },
  shut: { ja: '閉鎖', en: 'Shut' },
};

/** 指定避難所 (stay), 指定緊急避難場所 (flee to), or both. */
export const SHELTER_KINDS = ['shelter', 'emergency_site', 'both'] as const;
export type ShelterKind = (typeof SHELTER_KINDS)[number];

export const SHELTER_KIND_LABELS: Record<ShelterKind, { ja: string; en: string }> = {
  shelter: { ja: '指定避難所', en: 'Designated shelter' },
  emergency_site: { ja: '指定緊急避難場所', en: 'Emergency evacuation site' },
  both: { ja: '指定避難所・指定緊急避難場所', en: 'Shelter and emergency site' },
};

/** Japan, roughly: searches outside this box are refused (SHELTER_LOCATION_OUTSIDE_JAPAN). */
export const JAPAN_BOUNDS = { minLat: 20, maxLat: 46, minLon: 122, maxLon: 154 } as const;

/** A map link for a point (Google Maps search URL; opens the app on a phone). */
export const shelterMapUrl = (lat: number, lon: number) =>
  `https://www.google.com/maps/search/?api=1&query=${lat.toFixed(6)},${lon.toFixed(6)}`;
