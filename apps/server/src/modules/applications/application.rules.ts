import type { ApplicationStatus, StaffStatus } from '@madoguchi/contracts/applications.ts';

// The allowed status changes of an application, by who makes them:
//   citizen: draft → identity (identity verified) · identity → payment (answers sent, a fee to pay)
//            identity → received (answers sent, nothing to pay) · returned → received (corrected, sent again)
//   system:  payment → received (the payment confirmed by the provider's webhook or a server-side check)
//   staff:   received → reviewing | returned | rejected · reviewing → shipped | returned | rejected
// shipped and rejected are final.

export type Actor = 'citizen' | 'staff' | 'system';

const TRANSITIONS: Record<Actor, Partial<Record<ApplicationStatus, readonly ApplicationStatus[]>>> = {
  citizen: {
    draft: ['identity'],
    identity: ['payment', 'received'],
    returned: ['received'],
  },
  system: { payment: ['received'] },
  staff: {
    received: ['reviewing', 'returned', 'rejected'],
    reviewing: ['shipped', 'returned', 'rejected'],
  },
};

export function canMove(actor: Actor, from: ApplicationStatus, to: ApplicationStatus): boolean {
  return TRANSITIONS[actor][from]?.includes(to) ?? false;
}

/** The status buttons staff see on an application now. */
export const staffNext = (from: ApplicationStatus): StaffStatus[] =>
  (TRANSITIONS.staff[from] ?? []) as StaffStatus[];

/** The statuses after which nothing changes any more (the retention clock starts). */
export const isClosed = (s: ApplicationStatus) => s === 'shipped' || s === 'rejected';

/** The citizen may change the answers while filling the form and after 差戻し. */
export const answersEditable = (s: ApplicationStatus) => s === 'identity' || s === 'returned';

/** A rejection refunds what was paid. */
export const refundsOn = (to: ApplicationStatus) => to === 'rejected';

/** 令和 year of a date in Tokyo (2019 = 令和元年 = R1; 2026 = R8). */
export function reiwaYear(at: Date): number {
  const tokyo = new Date(at.getTime() + 9 * 3600_000);
  return tokyo.getUTCFullYear() - 2018;
}
