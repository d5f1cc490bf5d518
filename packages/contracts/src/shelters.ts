import { z } from 'zod';

// Shelters (避難所 / 指定緊急避難場所): the HTTP contract of /api/shelters and /api/citizen/shelters
// (X-03 search near a location, X-04 bulk registration from CSV, X-05 status).

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

export const shelterView = z.object({
  id: z.uuid(),
  externalId: z.string(),
  name: z.string(),
  address: z.string(),
  latitude: z.number(),
  longitude: z.number(),
  capacity: z.number().int().nullable(),
  disasterTypes: z.array(z.enum(DISASTER_TYPES)),
  kind: z.enum(SHELTER_KINDS),
  status: z.enum(SHELTER_STATUSES),
  statusChangedAt: z.string().nullable(),
  statusChangedBy: z.string().nullable(),
  note: z.string(),
});
export type ShelterView = z.infer<typeof shelterView>;

export const shelterListQuery = z.object({
  q: z.string().trim().max(100).optional(),
  status: z.enum(SHELTER_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const shelterStatusBody = z.object({ status: z.enum(SHELTER_STATUSES) });

export const shelterImportQuery = z.object({
  /** Which layout; by default it is told from the header row. */
  layout: z.enum(['auto', 'municipal-standard', 'gsi-emergency', 'gsi-shelter']).default('auto'),
});

export const SHELTER_LAYOUTS = ['municipal-standard', 'gsi-emergency', 'gsi-shelter'] as const;
export type ShelterLayout = (typeof SHELTER_LAYOUTS)[number];

export const shelterImportProblem = z.object({
  /** The line of the file (1 = the header), as a spreadsheet shows it. */
  line: z.number().int(),
  code: z.string(),
  message: z.string(),
  column: z.string().nullable(),
});
export type ShelterImportProblem = z.infer<typeof shelterImportProblem>;

export const shelterImportResult = z.object({
  dryRun: z.boolean(),
  encoding: z.enum(['utf-8', 'utf-8-bom', 'shift_jis']),
  layout: z.enum(SHELTER_LAYOUTS),
  rows: z.number().int(),
  valid: z.number().int(),
  problems: z.array(shelterImportProblem),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** External IDs of shelters registered before that this file does not list (kept, not deleted). */
  missingFromFile: z.array(z.object({ externalId: z.string(), name: z.string() })),
  /** Whether the changes were saved (a real import without problems). */
  applied: z.boolean(),
});
export type ShelterImportResult = z.infer<typeof shelterImportResult>;

/** Japan, roughly: searches outside this box are refused (SHELTER_LOCATION_OUTSIDE_JAPAN). */
export const JAPAN_BOUNDS = { minLat: 20, maxLat: 46, minLon: 122, maxLon: 154 } as const;

export const nearbyQuery = z.object({
  lat: z.coerce.number().min(-90).max(90),
  lon: z.coerce.number().min(-180).max(180),
  /** Comma-separated disaster types: only sites designated for every one of them. */
  types: z
    .string()
    .max(200)
    .optional()
    .transform((v, ctx) => {
      if (!v) return [] as DisasterType[];
      const list = v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      for (const t of list) {
        if (!(DISASTER_TYPES as readonly string[]).includes(t)) {
          ctx.addIssue({ code: 'custom', message: `災害の種類「${t}」は使えません` });
          return z.NEVER;
        }
      }
      return list as DisasterType[];
    }),
  /** `open` (default): only opened sites; `all`: every designated site with its status. */
  status: z.enum(['open', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});

export const nearbyShelter = shelterView
  .pick({
    id: true,
    name: true,
    address: true,
    latitude: true,
    longitude: true,
    capacity: true,
    disasterTypes: true,
    kind: true,
    status: true,
    statusChangedAt: true,
  })
  .extend({ distanceMeters: z.number().int(), mapUrl: z.string() });
export type NearbyShelter = z.infer<typeof nearbyShelter>;

export const nearbyResult = z.object({ items: z.array(nearbyShelter) });

/** A map link for a point (Google Maps search URL; opens the app on a phone). */
export const shelterMapUrl = (lat: number, lon: number) =>
  `https://www.google.com/maps/search/?api=1&query=${lat.toFixed(6)},${lon.toFixed(6)}`;
