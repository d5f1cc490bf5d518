import { describe, expect, it } from 'vitest';
import { showOutOfHoursNotice } from './out-of-hours.ts';

const consultee = { sender: 'consultee' as const };
const system = { sender: 'system' as const };
const counselor = { sender: 'counselor' as const };

describe('the out-of-hours notice (issue 9)', () => {
  const closedDesk = { openNow: false, closed: false, status: 'waiting' as const };

  it('shows while the desk is closed and only the consultee and the automatic reply have written', () => {
    expect(showOutOfHoursNotice({ ...closedDesk, messages: [] })).toBe(true);
    expect(showOutOfHoursNotice({ ...closedDesk, messages: [system, consultee, system] })).toBe(true);
    expect(showOutOfHoursNotice({ ...closedDesk, status: null, messages: [consultee] })).toBe(true);
  });

  it('goes away when a counselor replies, and stays away', () => {
    expect(showOutOfHoursNotice({ ...closedDesk, messages: [consultee, system, counselor] })).toBe(false);
    expect(showOutOfHoursNotice({ ...closedDesk, messages: [counselor, consultee] })).toBe(false);
  });

  it('goes away when a counselor takes the consultation', () => {
    expect(showOutOfHoursNotice({ ...closedDesk, status: 'active', messages: [consultee] })).toBe(false);
  });

  it('is not shown while the desk is open or after the consultation ended', () => {
    expect(showOutOfHoursNotice({ ...closedDesk, openNow: true, messages: [consultee] })).toBe(false);
    expect(showOutOfHoursNotice({ ...closedDesk, closed: true, messages: [consultee] })).toBe(false);
  });
});
