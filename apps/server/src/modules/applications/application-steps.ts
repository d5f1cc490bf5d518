import type { FeeLine, PaymentState } from '@madoguchi/contracts/applications.ts';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { ModuleDeps } from '../define-module.ts';

// The one place where applications call the identity and payments modules: their
// service APIs (issue 15's contract) behind one small interface, built once in the module file.
// Everything else in this module sees only `ApplicationSteps`.

export const APPLICATION_PURPOSE = 'application';

export interface VerifiedAttributes {
  name: string;
  address: string;
  birthdate: string;
  gender: string;
  provider: string;
  verifiedAt: string;
  signed: boolean;
}

export interface PaymentChange {
  id: string;
  ref: string;
  status: string;
  amount: number;
}

export interface ApplicationSteps {
  startIdentity(input: {
    applicationId: string;
    level: 'basic' | 'sign';
    returnPath: string;
    citizen: { channelId: string; lineUserId: string };
    signText?: string;
  }): Promise<{ verificationId: string; url: string }>;
  verifiedIdentity(verificationId: string, applicationId: string): Promise<VerifiedAttributes | null>;
  purgeIdentity(applicationId: string): Promise<number>;
  startPayment(input: {
    applicationId: string;
    lines: FeeLine[];
    description: string;
    returnPath: string;
  }): Promise<{ paymentId: string; url: string; amount: number }>;
  refreshPayment(paymentId: string): Promise<{ status: PaymentState; amount: number; ref: string }>;
  refundPayment(input: { paymentId: string; reason: string; actorId: string }): Promise<{
    status: 'refunded' | 'refund_pending';
  }>;
  /** Called inside the transaction that marks a payment of an application paid/refunded/failed. */
  onPaymentChange(listener: (trx: Transaction<Database>, p: PaymentChange) => Promise<void>): void;
}

const unavailable = (what: string) => () =>
  Promise.reject(new AppError(503, 'APPLICATION_STEP_UNAVAILABLE', `${what}は準備中です`));

/**
 * The steps as the identity and payments modules provide them. Until those modules are part of the
 * app, the steps answer 503 (procedures without identity check and fee still work end to end).
 */
export function createApplicationSteps(_deps: ModuleDeps, _db: Db): ApplicationSteps {
  return {
    startIdentity: unavailable('本人確認'),
    verifiedIdentity: async () => null,
    purgeIdentity: async () => 0,
    startPayment: unavailable('オンライン決済'),
    refreshPayment: unavailable('オンライン決済'),
    refundPayment: unavailable('返金'),
    onPaymentChange: () => {},
  };
}
