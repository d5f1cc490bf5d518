import { z } from 'zod';
import { DISASTER_TYPES, type DisasterType, SHELTER_KINDS, SHELTER_STATUSES } from './shelter-constants.ts';

export * from './shelter-constants.ts';

// Shelters (避難所 / 指定緊急避難場所): the HTTP contract of /api/shelters and /api/citizen/shelters
// (X-03 search near a location, X-04 bulk registration from CSV, X-05 status).

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
