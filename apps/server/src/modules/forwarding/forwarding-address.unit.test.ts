import { describe, expect, it } from 'vitest';
import { parseCidr } from '../../platform/security/cidr.ts';
import { addressAllowed, addressPolicy, urlFormProblem } from './forwarding-address.ts';
import { retryDelay } from './forwarding-sender.ts';

// Where a forwarding target may point (W-01, SSRF), and the retry schedule.

const open = addressPolicy({ NODE_ENV: 'production', FORWARDING_ALLOWED_CIDRS: [] });

describe('forwarding target addresses (W-01)', () => {
  it('W-01: only public unicast addresses are allowed; private, loopback, link-local, ULA, CGNAT, multicast, unspecified, mapped are refused', () => {
    for (const ok of ['8.8.8.8', '203.0.114.1', '2606:4700::1111'])
      expect(addressAllowed(ok, open), ok).toBe(true);
    for (const bad of [
      '10.0.0.1',
      '172.16.5.4',
      '192.168.0.1',
      '127.0.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '224.0.0.251',
      '255.255.255.255',
      '0.0.0.0',
      '::',
      '::1',
      'fe80::1',
      'fd12:3456::1',
      'ff02::1',
      '::ffff:8.8.8.8',
      '::ffff:127.0.0.1',
      '64:ff9b::a00:1',
      '2002:a00:1::1',
      '192.0.2.10',
      'not-an-address',
    ]) {
      expect(addressAllowed(bad, open), bad).toBe(false);
    }
  });

  it('W-01: the operator allow-list (FORWARDING_ALLOWED_CIDRS) lets chosen internal addresses through, nothing more', () => {
    const policy = { production: true, allowed: [parseCidr('10.20.0.0/16')!, parseCidr('127.0.0.1')!] };
    expect(addressAllowed('10.20.3.4', policy)).toBe(true);
    expect(addressAllowed('127.0.0.1', policy)).toBe(true);
    expect(addressAllowed('10.21.0.1', policy)).toBe(false);
    expect(addressAllowed('127.0.0.2', policy)).toBe(false);
  });

  it('W-01: https only in production; no credentials or fragment in the URL; other protocols refused', () => {
    const dev = addressPolicy({ NODE_ENV: 'development', FORWARDING_ALLOWED_CIDRS: [] });
    expect(urlFormProblem('https://foryou.city.example.jp/hook', open)).toBeNull();
    expect(urlFormProblem('http://foryou.city.example.jp/hook', open)?.code).toBe('FORWARDING_URL_NOT_HTTPS');
    expect(urlFormProblem('http://foryou.city.example.jp/hook', dev)).toBeNull();
    expect(urlFormProblem('ftp://foryou.city.example.jp/', dev)?.code).toBe('FORWARDING_URL_INVALID');
    expect(urlFormProblem('https://a:b@foryou.city.example.jp/', open)?.code).toBe('FORWARDING_URL_INVALID');
    expect(urlFormProblem('https://foryou.city.example.jp/#x', open)?.code).toBe('FORWARDING_URL_INVALID');
    expect(urlFormProblem('not a url', open)?.code).toBe('FORWARDING_URL_INVALID');
  });

  it('W-01: retries back off exponentially (doubling, at most 1 h) with 50–100 % jitter', () => {
    expect(retryDelay(1000, 1, () => 1)).toBe(1000);
    expect(retryDelay(1000, 1, () => 0)).toBe(500);
    expect(retryDelay(1000, 4, () => 1)).toBe(8000);
    expect(retryDelay(1000, 30, () => 1)).toBe(3_600_000);
    expect(retryDelay(1000, 30, () => 0)).toBe(1_800_000);
  });
});
