import type { FeeBreakdown, FeeLine, FeeRule } from '@madoguchi/contracts/applications.ts';
import { APPLICATION_LIMITS } from '@madoguchi/contracts/applications.ts';

// The fee of an application, computed on the server from the procedure's fee rule and
// the answers: yen per copy × copies (the copies item; one copy without one) + the postage of the
// delivery method chosen (a choice of the delivery item; 0 yen when the choice has none). The browser
// never sends an amount; the payment is started with these lines and the confirmation page shows them.

export interface FeeInput {
  /** The procedure's name (the fee line's label). */
  procedure: string;
  /** The number answered in the copies item (undefined: not answered). */
  copies: number | undefined;
  /** The choice IDs answered (the delivery item's choice among them). */
  choiceIds: readonly string[];
  /** The label of each delivery choice (the postage line's label). */
  deliveryLabels: ReadonlyMap<string, string>;
}

export class FeeError extends Error {
  readonly code = 'FEE_COPIES_INVALID';
}

export function computeFee(rule: FeeRule, input: FeeInput): FeeBreakdown {
  const copies = rule.copiesItemKey ? (input.copies ?? 1) : 1;
  if (!Number.isInteger(copies) || copies < 1 || copies > APPLICATION_LIMITS.maxCopies)
    throw new FeeError(`通数は1〜${APPLICATION_LIMITS.maxCopies}の整数で入力してください`);
  const lines: FeeLine[] = [];
  if (rule.unitFee > 0)
    lines.push({ label: `${input.procedure} 手数料`, unitAmount: rule.unitFee, quantity: copies });
  if (rule.deliveryItemKey) {
    const chosen = rule.postage.find((p) => input.choiceIds.includes(p.choiceId));
    if (chosen && chosen.amount > 0)
      lines.push({
        label: `郵送料（${input.deliveryLabels.get(chosen.choiceId) ?? '郵送'}）`,
        unitAmount: chosen.amount,
        quantity: 1,
      });
  }
  return { lines, total: lines.reduce((sum, l) => sum + l.unitAmount * l.quantity, 0) };
}
