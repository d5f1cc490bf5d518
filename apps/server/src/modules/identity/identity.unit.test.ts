import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type ConfigError, loadConfig } from '../../config.ts';
import { providerErrorCode, signTransactionsUrl } from './digital-auth-app.adapter.ts';
import { isCitizenReturnPath, returnUrl } from './identity.service.ts';
import { addressText, basicAttributes, isIsoDate } from './identity-provider.ts';

// Pure rules of identity verification (issue 15, A-01).

describe('A-01 identity: the four basic attributes', () => {
  it('takes name, address (string or OIDC object), birthdate and gender; refuses when one is missing', () => {
    const full = { name: '平川 花子', address: '平川市本町1-2-3', birthdate: '1985-04-01', gender: '女' };
    expect(basicAttributes(full)).toEqual(full);
    expect(basicAttributes({ ...full, address: { formatted: '平川市本町1-2-3' } })?.address).toBe(
      '平川市本町1-2-3',
    );
    expect(basicAttributes({ ...full, name: '  ' })).toBeNull();
    expect(basicAttributes({ ...full, birthdate: '1985-02-30' })).toBeNull();
    expect(basicAttributes({ ...full, gender: undefined })).toBeNull();
    expect(basicAttributes({ ...full, address: 42 })).toBeNull();
    expect(basicAttributes({ ...full, name: 'あ'.repeat(501) })).toBeNull();
  });

  it('reads an address object without formatted from its parts', () => {
    expect(addressText({ region: '平川県', locality: '平川市', street_address: '本町1' })).toBe(
      '平川県平川市本町1',
    );
    expect(addressText(null)).toBeNull();
  });

  it('ISO dates only', () => {
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('1999-02-29')).toBe(false);
    expect(isIsoDate('2000-2-9')).toBe(false);
  });
});

describe('A-01 identity: return paths', () => {
  it('only same-origin citizen paths', () => {
    expect(isCitizenReturnPath('/citizen/applications/1?x=1')).toBe(true);
    for (const bad of [
      'https://evil.example/',
      '//evil.example/citizen/',
      '/citizen//evil',
      '/console/',
      '/citizen/\\evil',
      '/citizen/a\nb',
      '/citizen/../api',
      `/citizen/${'a'.repeat(500)}`,
    ])
      expect([bad, isCitizenReturnPath(bad)]).toEqual([bad, false]);
  });

  it('adds the outcome, replacing what the path already carried', () => {
    expect(
      returnUrl('/citizen/a?step=2&identityStatus=verified#top', {
        id: 'v1',
        status: 'failed',
        error: 'wrong_pin',
      }),
    ).toBe('/citizen/a?step=2&identity=v1&identityStatus=failed&identityError=wrong_pin#top');
    expect(returnUrl('/citizen/a', { id: 'v1', status: 'canceled', error: 'canceled' })).toBe(
      '/citizen/a?identity=v1&identityStatus=canceled',
    );
  });
});

describe('A-01 デジタル認証アプリ adapter rules', () => {
  it('maps the provider errors to stable codes', () => {
    expect(providerErrorCode('access_denied', 'pin_locked')).toBe('wrong_pin');
    expect(providerErrorCode('access_denied', 'certificate_expired')).toBe('certificate_expired');
    expect(providerErrorCode('access_denied', 'certificate_revoked')).toBe('certificate_revoked');
    expect(providerErrorCode('access_denied', 'cancel')).toBe('canceled');
    expect(providerErrorCode('server_error', null)).toBe('provider_error');
  });

  it('finds the sign-transactions API beside a Keycloak-style issuer', () => {
    expect(signTransactionsUrl('https://auth-and-sign.go.jp/api/realms/main')).toBe(
      'https://auth-and-sign.go.jp/api/sign-transactions',
    );
    expect(signTransactionsUrl('http://localhost:3100/jpki/api/realms/main/')).toBe(
      'http://localhost:3100/jpki/api/sign-transactions',
    );
    expect(signTransactionsUrl('https://idp.example/oidc')).toBe(
      'https://idp.example/oidc/sign-transactions',
    );
  });
});

describe('A-01 identity configuration (fail fast)', () => {
  const base = { PUBLIC_URL: 'https://city.example', ENCRYPTION_KEY: randomBytes(32).toString('base64') };
  const pem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString();
  const on = {
    IDENTITY_PROVIDER: 'digital-auth-app',
    IDENTITY_ISSUER: 'https://auth-and-sign.go.jp/api/realms/main',
    IDENTITY_CLIENT_ID: 'RP00000001',
    IDENTITY_PRIVATE_KEY: pem,
  };
  const issues = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (e) {
      return (e as ConfigError).issues;
    }
  };

  it('defaults to none with 30 days of retention', () => {
    const c = loadConfig(base);
    expect([c.IDENTITY_PROVIDER, c.IDENTITY_RETENTION_DAYS]).toEqual(['none', 30]);
  });

  it('accepts a PEM or JWK key; refuses a missing or broken one', () => {
    expect(issues({ ...base, ...on })).toEqual([]);
    const jwk = JSON.stringify(
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
    );
    expect(issues({ ...base, ...on, IDENTITY_PRIVATE_KEY: jwk })).toEqual([]);
    expect(issues({ ...base, ...on, IDENTITY_PRIVATE_KEY: 'not a key' })[0]).toMatch(
      /^IDENTITY_PRIVATE_KEY: /,
    );
    const { IDENTITY_PRIVATE_KEY: _k, ...noKey } = on;
    expect(issues({ ...base, ...noKey })).toEqual(['IDENTITY_PRIVATE_KEY is required but not set']);
    const { IDENTITY_CLIENT_ID: _c, ...noClient } = on;
    expect(issues({ ...base, ...noClient })).toEqual(['IDENTITY_CLIENT_ID is required but not set']);
  });

  it('http issuers only for localhost outside production', () => {
    const local = { ...base, ...on, IDENTITY_ISSUER: 'http://localhost:3100/jpki/api/realms/main' };
    expect(issues({ ...local, NODE_ENV: 'development' })).toEqual([]);
    expect(issues(local)[0]).toMatch(/^IDENTITY_ISSUER: must be https/);
    expect(issues({ ...local, NODE_ENV: 'development', IDENTITY_ISSUER: 'http://idp.example/' })[0]).toMatch(
      /^IDENTITY_ISSUER: /,
    );
  });
});
