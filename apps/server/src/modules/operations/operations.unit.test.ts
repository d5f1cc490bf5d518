import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { configFingerprint, isSecretSetting } from './changes.service.ts';
import { maintenanceBlocks } from './maintenance.gate.ts';
import { noticeOf } from './maintenance.service.ts';

// The pure rules of the operations module: the C-15 notice text, what maintenance mode stops
// (O-04), and which settings the change record keeps as fingerprints only (O-05).

const at = (iso: string) => new Date(iso);

describe('maintenance notice (C-15)', () => {
  it('C-15: one day, several days, no end — in Tokyo time, ja and en', () => {
    expect(noticeOf({ starts_at: at('2026-12-20T13:00:00Z'), ends_at: at('2026-12-20T14:30:00Z') })).toEqual({
      ja: '12月20日 22時から23時30分まで、メンテナンスのため停止します',
      en: 'The service stops for maintenance from Dec 20, 22:00 to 23:30 (Japan time).',
    });
    expect(noticeOf({ starts_at: at('2026-12-20T14:00:00Z'), ends_at: at('2026-12-20T21:00:00Z') }).ja).toBe(
      '12月20日 23時から12月21日 6時まで、メンテナンスのため停止します',
    );
    expect(noticeOf({ starts_at: at('2026-12-31T15:05:00Z'), ends_at: null }).ja).toBe(
      '1月1日 0時5分から、メンテナンスのため停止します（終了時刻は未定）',
    );
  });
});

describe('what maintenance mode stops (O-04)', () => {
  const staff = { kind: 'staff', permissions: [], area: 'self' } as const;
  const pub = { kind: 'public' } as const;
  it('O-04: every staff route and every public write under /api/; not webhooks, pages, reads', () => {
    expect(maintenanceBlocks('GET', '/api/session', staff)).toBe(true);
    expect(maintenanceBlocks('POST', '/api/session', pub)).toBe(true);
    expect(maintenanceBlocks('POST', '/api/citizen/session', pub)).toBe(true);
    expect(maintenanceBlocks('PUT', '/api/citizen/registration', pub)).toBe(true);
    expect(maintenanceBlocks('POST', '/webhooks/line/:channelId', pub)).toBe(false);
    expect(maintenanceBlocks('POST', '/webhooks/payments/:provider', pub)).toBe(false);
    expect(maintenanceBlocks('GET', '/api/public/maintenance', pub)).toBe(false);
    expect(maintenanceBlocks('GET', '/readyz', pub)).toBe(false);
    expect(maintenanceBlocks('GET', '/console/*', { kind: 'console-app' })).toBe(false);
  });
});

describe('change record fingerprints (O-05)', () => {
  it('O-05: secret settings and URLs with a password are fingerprints, other settings their values', () => {
    for (const name of [
      'ENCRYPTION_KEY',
      'DATABASE_URL',
      'BASIC_AUTH',
      'SMTP_URL',
      'STRIPE_SECRET_KEY',
      'STRIPE_WEBHOOK_SECRET',
      'PAYJP_SECRET_KEY',
      'PAYJP_WEBHOOK_TOKEN',
      'IDENTITY_PRIVATE_KEY',
    ])
      expect(isSecretSetting(name), name).toBe(true);
    expect(isSecretSetting('PAYJP_PUBLIC_KEY')).toBe(false);
    const config = loadConfig({
      PUBLIC_URL: 'https://madoguchi.example.jp',
      ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      LINE_API_BASE_URL: 'https://user:hunter2-password@line.example.jp',
      BASIC_AUTH: 'city:Basic-Pass-1',
    });
    const keys = configFingerprint(config);
    expect(keys.PUBLIC_URL).toBe('https://madoguchi.example.jp');
    expect(keys.PORT).toBe('3000');
    expect(keys.DATABASE_URL).toBe('unset');
    expect(keys.LINE_API_BASE_URL).toMatch(/^secret:[0-9a-f]{16}$/);
    expect(keys.BASIC_AUTH).toMatch(/^secret:[0-9a-f]{16}$/);
    const text = JSON.stringify(keys);
    for (const secret of ['hunter2', 'Basic-Pass-1', config.ENCRYPTION_KEY])
      expect(text).not.toContain(secret);
  });
});
