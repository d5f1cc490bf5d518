import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { databaseErrorAsAppError } from './database-errors.ts';
import { registerErrorHandler } from './error-handler.ts';

// S-04: PostgreSQL's refusals of bad input become 4xx with a stable code (shapes as pg reports them).
const pgError = (code: string, detail?: string) =>
  Object.assign(new Error('db'), { code, severity: 'ERROR', ...(detail ? { detail } : {}) });

describe('S-04: database errors → 4xx', () => {
  it.each([
    ['23503', 'Key (channel_id)=(…) is not present in table "channels".', 404, 'REFERENCE_NOT_FOUND'],
    ['23503', 'Key (id)=(…) is still referenced from table "desks".', 409, 'STILL_REFERENCED'],
    ['23505', undefined, 409, 'ALREADY_EXISTS'],
    ['22P02', undefined, 400, 'INVALID_ID'],
    ['22008', undefined, 400, 'OUT_OF_RANGE'],
    ['22003', undefined, 400, 'OUT_OF_RANGE'],
    ['22021', undefined, 400, 'INVALID_CHARACTERS'],
    ['54000', undefined, 413, 'PAYLOAD_TOO_LARGE'],
    ['54001', undefined, 400, 'TOO_COMPLEX'],
  ])('%s (%s) → %i %s', (code, detail, status, appCode) => {
    expect(databaseErrorAsAppError(pgError(code, detail))).toMatchObject({ status, code: appCode });
  });

  it('finds the database error in a cause chain; leaves server faults and non-database errors alone', () => {
    expect(databaseErrorAsAppError(new Error('wrapped', { cause: pgError('23505') }))?.code).toBe(
      'ALREADY_EXISTS',
    );
    expect(databaseErrorAsAppError(pgError('42P01'))).toBeUndefined(); // undefined table: our bug
    expect(databaseErrorAsAppError(pgError('57P01'))).toBeUndefined(); // shutdown: not the caller's fault
    expect(databaseErrorAsAppError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBeUndefined();
  });

  it('the error handler answers them as { code, message } and keeps real faults at 500', async () => {
    const app = Fastify();
    registerErrorHandler(app);
    app.get('/fk', async () => {
      throw pgError('23503', 'Key (x)=(y) is not present in table "z".');
    });
    app.get('/bug', async () => {
      throw pgError('42703');
    });
    const fk = await app.inject({ url: '/fk' });
    expect([fk.statusCode, fk.json()]).toEqual([
      404,
      { code: 'REFERENCE_NOT_FOUND', message: '指定されたデータが見つかりません' },
    ]);
    expect((await app.inject({ url: '/bug' })).statusCode).toBe(500);
    await app.close();
  });
});
