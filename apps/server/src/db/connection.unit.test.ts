import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { connectionOptions, isDatabaseUnavailable, parseDatabaseUrl } from './connection.ts';

// DATABASE_URL with several hosts in libpq's syntax (C-13): parsed once, wrong ones stop the start.

const KEY = Buffer.alloc(32, 7).toString('base64');
const base = { PUBLIC_URL: 'https://madoguchi.example.jp', ENCRYPTION_KEY: KEY };

describe('multi-host DATABASE_URL (C-13)', () => {
  it('C-13: a single-host URL is passed to node-postgres unchanged', () => {
    const url = 'postgres://app:secret@db.example.jp:5433/madoguchi?sslmode=require';
    expect(connectionOptions(url)).toEqual({ connectionString: url });
    expect(parseDatabaseUrl(url)).toMatchObject({
      hosts: [{ host: 'db.example.jp', port: 5433 }],
      targetSessionAttrs: 'any',
    });
  });

  it('C-13: lists the hosts in order, default port 5432, IPv6 in brackets, keeps the other parameters', () => {
    const t = parseDatabaseUrl(
      'postgresql://app:p%40ss@hostA:5432,hostB,[::1]:6543/madoguchi?target_session_attrs=read-write&sslmode=require',
    );
    expect(t.hosts).toEqual([
      { host: 'hostA', port: 5432 },
      { host: 'hostB', port: 5432 },
      { host: '::1', port: 6543 },
    ]);
    expect(t.targetSessionAttrs).toBe('read-write');
    expect(t.firstHostUrl).toBe('postgresql://app:p%40ss@hostA:5432/madoguchi?sslmode=require');
  });

  it('C-13: several hosts without target_session_attrs mean read-write; a multi-host URL gets the choosing Client', () => {
    const url = 'postgres://u@a:1,b:2/db';
    expect(parseDatabaseUrl(url).targetSessionAttrs).toBe('read-write');
    const options = connectionOptions(url);
    expect(options.Client).toBeTypeOf('function');
    expect(options.connectionString).toBe('postgres://u@a:1/db');
  });

  it.each([
    ['postgres://u@a:5432,,b:5432/db', /host 2 of 3/],
    ['postgres://u@a:5432,b:99999/db', /valid port/],
    ['postgres://u@a:5432,b:x/db', /host 2/],
    ['postgres://u@a,b/db?target_session_attrs=standby', /target_session_attrs must be any or read-write/],
    ['postgres://u@/db', /host 1 of 1/],
  ])('C-13: refuses %s at start-up with a ConfigError naming DATABASE_URL', (url, message) => {
    expect(() => parseDatabaseUrl(url)).toThrow(message);
    try {
      loadConfig({ ...base, DATABASE_URL: url });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toMatch(/DATABASE_URL: /);
      expect((err as ConfigError).message).toMatch(message);
    }
  });

  it('C-13: accepts a valid multi-host URL in the configuration', () => {
    const url = 'postgres://u@a:5432,b:5433/db?target_session_attrs=read-write';
    expect(loadConfig({ ...base, DATABASE_URL: url }).DATABASE_URL).toBe(url);
  });

  it('C-13: tells a lost database from other errors', () => {
    expect(
      isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    ).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(new Error('something else'))).toBe(false);
  });
});
