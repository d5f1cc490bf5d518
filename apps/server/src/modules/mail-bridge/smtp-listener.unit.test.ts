import { describe, expect, it } from 'vitest';
import { senderAllowed } from './smtp-listener.ts';

// Who may send to a receiving address (issue 14, E-05): an address, or @domain for the whole domain.

describe('allowed senders (E-05)', () => {
  it('allows the listed address and every address of a listed @domain, nothing else', () => {
    const allowed = ['anzen@mail.city.chiba.example', '@bousai.city.chiba.example'];
    expect(senderAllowed(allowed, 'anzen@mail.city.chiba.example')).toBe(true);
    expect(senderAllowed(allowed, 'ANZEN@Mail.City.Chiba.Example')).toBe(true);
    expect(senderAllowed(allowed, 'any@bousai.city.chiba.example')).toBe(true);
    expect(senderAllowed(allowed, 'other@mail.city.chiba.example')).toBe(false);
    // A subdomain or a look-alike is not the listed domain.
    expect(senderAllowed(allowed, 'x@sub.bousai.city.chiba.example')).toBe(false);
    expect(senderAllowed(allowed, 'x@bousai.city.chiba.example.evil.example')).toBe(false);
    // The null sender (bounces) is never allowed.
    expect(senderAllowed(allowed, '')).toBe(false);
  });
});
