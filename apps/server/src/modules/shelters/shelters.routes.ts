import {
  nearbyQuery,
  nearbyResult,
  SHELTER_STATUSES,
  shelterImportQuery,
  shelterImportResult,
  shelterListQuery,
  shelterStatusBody,
  shelterView,
} from '@madoguchi/contracts/shelters.ts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { Api } from '../../platform/http/api.ts';
import { idParams } from '../../platform/http/api.ts';
import { acceptRawBody } from '../../platform/http/raw-body.ts';
import { SHELTER_CSV_MAX_BYTES } from './shelter-csv.ts';
import { mapUrlOf, nearestShelters } from './shelter-nearby.ts';
import { changeShelterStatus, importShelters, listShelters } from './shelters.service.ts';

// Shelters over HTTP. Staff: the list and one-tap status changes (X-05, shelters.status), the CSV
// import with its dry run (X-04, shelters.manage; the file is the raw request body). Citizens: the
// nearest shelters to a point, public and rate limited.

const tooLarge = () => new AppError(413, 'SHELTER_CSV_TOO_LARGE', 'ファイルが大きすぎます（20 MB まで）');

const listResult = z.object({
  items: z.array(shelterView),
  total: z.number().int(),
  counts: z.record(z.string(), z.number()),
});

export function registerShelterRoutes(app: Api, deps: { db: Db }): void {
  app.get(
    '/api/shelters',
    {
      schema: {
        tags: ['shelters'],
        summary: '避難所の一覧と開設状況（X-05）',
        querystring: shelterListQuery,
        response: { 200: listResult },
      },
      config: { permission: ['shelters.status', 'shelters.manage'] },
    },
    async (request) => listShelters(deps.db, request.query),
  );

  app.put(
    '/api/shelters/:id/status',
    {
      schema: {
        tags: ['shelters'],
        summary: `避難所の開設状況を変更（${SHELTER_STATUSES.join(' / ')}。X-05）`,
        params: idParams,
        body: shelterStatusBody,
        response: { 200: shelterView },
      },
      config: { permission: 'shelters.status', audit: { action: 'shelter.status', targetType: 'shelter' } },
    },
    async (request) => {
      const { before, view } = await changeShelterStatus(
        deps.db,
        request.params.id,
        request.body.status,
        request.staff?.accountId ?? null,
      );
      request.auditTarget = {
        id: view.id,
        detail: { name: view.name, from: before, to: view.status },
      };
      return view;
    },
  );

  // The import reads the body itself (CSV bytes in any encoding), so its parser lives in its own scope.
  app.register(async (scope: Api) => {
    acceptRawBody(scope, SHELTER_CSV_MAX_BYTES, tooLarge);
    const run = (dryRun: boolean) => async (request: FastifyRequest<{ Querystring: unknown }>) => {
      const body = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0)
        throw new AppError(400, 'SHELTER_CSV_EMPTY', 'CSV ファイルを選んでください');
      const { layout } = shelterImportQuery.parse(request.query ?? {});
      const result = await importShelters(deps.db, body, { dryRun, layout });
      request.auditTarget = {
        count: result.valid,
        detail: {
          bytes: body.length,
          layout: result.layout,
          encoding: result.encoding,
          rows: result.rows,
          problems: result.problems.length,
          created: result.created,
          updated: result.updated,
          unchanged: result.unchanged,
          missing: result.missingFromFile.length,
        },
      };
      return result;
    };
    scope.post(
      '/api/shelters/import/dry-run',
      {
        schema: {
          tags: ['shelters'],
          summary: '避難所 CSV の確認（登録しない。問題のある行を一覧にする。X-04）',
          querystring: shelterImportQuery,
          response: { 200: shelterImportResult },
        },
        config: {
          permission: 'shelters.manage',
          audit: { action: 'shelter.import-preview', targetType: 'shelter' },
        },
      },
      run(true),
    );
    scope.post(
      '/api/shelters/import',
      {
        schema: {
          tags: ['shelters'],
          summary: '避難所 CSV の一括登録（1つのトランザクション。問題のある行があれば何も登録しない。X-04）',
          querystring: shelterImportQuery,
          response: { 200: shelterImportResult },
        },
        config: { permission: 'shelters.manage', audit: { action: 'shelter.import', targetType: 'shelter' } },
      },
      run(false),
    );
  });

  // Citizens: nearest shelters. Public: the citizen page and any browser; rate limited per
  // address (many phones may share a carrier address, so the limit is generous).
  app.get(
    '/api/citizen/shelters/nearby',
    {
      schema: {
        tags: ['citizen', 'shelters'],
        summary: '近くの避難所（X-03）',
        querystring: nearbyQuery,
        response: { 200: nearbyResult },
      },
      config: { staff: false, rateLimit: { max: 120, timeWindow: 60_000, groupId: 'shelters-nearby' } },
    },
    async (request) => {
      const q = request.query;
      const rows = await nearestShelters(deps.db, {
        lat: q.lat,
        lon: q.lon,
        statuses: q.status === 'open' ? ['open'] : ['open', 'full', 'closed_not_opened', 'shut'],
        types: q.types,
        limit: q.limit,
      });
      return {
        items: rows.map((r) => ({
          id: r.id,
          name: r.name,
          address: r.address,
          latitude: r.latitude,
          longitude: r.longitude,
          capacity: r.capacity,
          disasterTypes: r.disaster_types as (typeof q.types)[number][],
          kind: r.kind,
          status: r.status,
          statusChangedAt: r.status_changed_at ? r.status_changed_at.toISOString() : null,
          distanceMeters: Math.round(r.distanceMeters),
          mapUrl: mapUrlOf(r),
        })),
      };
    },
  );
}
