import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const KEY = Buffer.alloc(32, 7).toString('base64');
const base = { PUBLIC_URL: 'https://madoguchi.example.jp', ENCRYPTION_KEY: KEY };

describe('config is validated at boot', () => {
  it('accepts a minimal production configuration and applies defaults', () => {
    const c = loadConfig(base);
    expect(c.PORT).toBe(3000);
    expect(c.LINE_API_BASE_URL).toBe('https://api.line.me');
    expect(c.DATABASE_URL).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('names every missing variable', () => {
    try {
      loadConfig({});
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as ConfigError).message;
      expect(message).toContain('PUBLIC_URL is required');
      expect(message).toContain('ENCRYPTION_KEY is required');
    }
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['ENCRYPTION_KEY', 'short'],
    ['DATABASE_URL', 'mysql://x'],
    ['PUBLIC_URL', 'not a url'],
    ['WORKERS_IN_PROCESS', 'maybe'],
    ['BASIC_AUTH', 'nocolon'],
    ['DISPATCH_PARTITIONS', '0'],
    ['DISPATCH_PARTITIONS', '33'],
    ['DISPATCH_PARTITIONS', '2.5'],
    ['WORKER_METRICS_PORT', '0'],
    ['WORKER_METRICS_PORT', 'abc'],
    ['WORKER_METRICS_PORT', '65536'],
  ])('rejects a wrong %s (%s) naming the variable', (name, value) => {
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(new RegExp(`${name}:`));
  });

  it('B-02: DISPATCH_PARTITIONS: 4 by default, 1..32 (issue 12)', () => {
    expect(loadConfig(base).DISPATCH_PARTITIONS).toBe(4);
    expect(loadConfig({ ...base, DISPATCH_PARTITIONS: '1' }).DISPATCH_PARTITIONS).toBe(1);
    expect(loadConfig({ ...base, DISPATCH_PARTITIONS: '32' }).DISPATCH_PARTITIONS).toBe(32);
  });

  it('parses lists and booleans', () => {
    const c = loadConfig({
      ...base,
      TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.1',
      WORKERS_IN_PROCESS: 'false',
    });
    expect(c.TRUSTED_PROXIES).toEqual(['10.0.0.0/8', '192.168.1.1']);
    expect(c.WORKERS_IN_PROCESS).toBe(false);
  });
});
