import type { FeeRule } from '@madoguchi/contracts/applications.ts';
import { describe, expect, it } from 'vitest';
import { computeFee, FeeError } from './fees.ts';

// The fee: yen per copy × copies + the postage of the chosen delivery method. The figures
// are the demo's (住民票の写し 300 円/通, 郵送 110 円), not any city's.

const rule: FeeRule = {
  unitFee: 300,
  copiesItemKey: 'copies',
  deliveryItemKey: 'delivery',
  postage: [
    { choiceId: '11', amount: 0 },
    { choiceId: '12', amount: 110 },
  ],
};
const labels = new Map([
  ['11', '窓口で受け取る'],
  ['12', '郵送'],
]);
const fee = (copies: number | undefined, choiceIds: string[], r = rule) =>
  computeFee(r, { procedure: '住民票の写し', copies, choiceIds, deliveryLabels: labels });

describe('computeFee', () => {
  it('multiplies the unit fee by the copies and adds the postage of 郵送', () => {
    expect(fee(2, ['12'])).toEqual({
      lines: [
        { label: '住民票の写し 手数料', unitAmount: 300, quantity: 2 },
        { label: '郵送料（郵送）', unitAmount: 110, quantity: 1 },
      ],
      total: 710,
    });
  });

  it('adds no postage line for 窓口で受け取る (0 円) nor when no delivery choice is answered', () => {
    expect(fee(1, ['11'])).toEqual({
      lines: [{ label: '住民票の写し 手数料', unitAmount: 300, quantity: 1 }],
      total: 300,
    });
    expect(fee(3, []).total).toBe(900);
  });

  it('counts one copy when the copies item is not answered or the rule has none', () => {
    expect(fee(undefined, ['12']).total).toBe(410);
    expect(fee(5, ['12'], { ...rule, copiesItemKey: null }).total).toBe(410);
  });

  it('ignores choices of other items and postage without a delivery item', () => {
    expect(fee(1, ['99', '12'], { ...rule, deliveryItemKey: null }).total).toBe(300);
  });

  it('is 0 for a free procedure', () => {
    expect(fee(4, ['11'], { ...rule, unitFee: 0 })).toEqual({ lines: [], total: 0 });
  });

  it('refuses copies that are not a whole number from 1 to 20', () => {
    for (const bad of [0, -1, 1.5, 21, Number.NaN]) expect(() => fee(bad, ['12'])).toThrow(FeeError);
  });
});
