import { APPLICATION_STATUSES } from '@madoguchi/contracts/applications.ts';
import { describe, expect, it } from 'vitest';
import { answersEditable, canMove, isClosed, reiwaYear, staffNext } from './application.rules.ts';

// The application's statuses: who may move it where.

describe('canMove', () => {
  it('lets the citizen go draft → identity → payment | received, and send a returned one again', () => {
    expect(canMove('citizen', 'draft', 'identity')).toBe(true);
    expect(canMove('citizen', 'identity', 'payment')).toBe(true);
    expect(canMove('citizen', 'identity', 'received')).toBe(true);
    expect(canMove('citizen', 'returned', 'received')).toBe(true);
  });

  it('never lets the citizen confirm a payment or act as staff', () => {
    expect(canMove('citizen', 'payment', 'received')).toBe(false);
    expect(canMove('citizen', 'received', 'reviewing')).toBe(false);
    expect(canMove('citizen', 'draft', 'received')).toBe(false);
  });

  it('lets only the system move payment → received', () => {
    expect(canMove('system', 'payment', 'received')).toBe(true);
    expect(canMove('staff', 'payment', 'received')).toBe(false);
    expect(canMove('system', 'identity', 'received')).toBe(false);
  });

  it('gives staff 審査中 / 差戻し / 却下 from 受付 and 発送済 / 差戻し / 却下 from 審査中', () => {
    expect(staffNext('received')).toEqual(['reviewing', 'returned', 'rejected']);
    expect(staffNext('reviewing')).toEqual(['shipped', 'returned', 'rejected']);
    expect(canMove('staff', 'received', 'shipped')).toBe(false);
  });

  it('keeps shipped and rejected final for everyone', () => {
    for (const actor of ['citizen', 'staff', 'system'] as const)
      for (const to of APPLICATION_STATUSES) {
        expect(canMove(actor, 'shipped', to)).toBe(false);
        expect(canMove(actor, 'rejected', to)).toBe(false);
      }
    expect(isClosed('shipped') && isClosed('rejected') && !isClosed('returned')).toBe(true);
  });

  it('lets staff act only on applications that were sent (not drafts or unpaid ones)', () => {
    for (const from of ['draft', 'identity', 'payment'] as const) expect(staffNext(from)).toEqual([]);
  });
});

describe('answersEditable', () => {
  it('is true while filling the form and after 差戻し only', () => {
    expect(APPLICATION_STATUSES.filter(answersEditable)).toEqual(['identity', 'returned']);
  });
});

describe('reiwaYear', () => {
  it('counts 令和 in Tokyo time (2026 = R8, New Year in Tokyo before UTC)', () => {
    expect(reiwaYear(new Date('2026-06-01T00:00:00Z'))).toBe(8);
    expect(reiwaYear(new Date('2026-12-31T15:30:00Z'))).toBe(9);
    expect(reiwaYear(new Date('2019-05-01T00:00:00+09:00'))).toBe(1);
  });
});
