import type { FeeLine, PaymentState } from '@madoguchi/contracts/applications.ts';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type { ModuleDeps } from '../define-module.ts';
import {
  citizenRefOf,
  identityDepsFrom,
  purgeIdentity,
  startIdentityVerification,
  verifiedIdentity,
} from '../identity/identity.service.ts';
import {
  onPaymentChange,
  paymentsDepsFrom,
  refreshPayment,
  refundPayment,
  startPayment,
} from '../payments/payments.service.ts';

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

/** The steps as the identity and payments modules provide them (their deps built once per config). */
export function createApplicationSteps(deps: ModuleDeps, db: Db): ApplicationSteps {
  const identity = identityDepsFrom(deps);
  const payments = paymentsDepsFrom(deps);
  const purpose = APPLICATION_PURPOSE;
  return {
    startIdentity: (input) =>
      startIdentityVerification(db, identity, {
        purpose,
        ref: input.applicationId,
        level: input.level,
        returnPath: input.returnPath,
        citizenRef: citizenRefOf({
          channel_id: input.citizen.channelId,
          line_user_id: input.citizen.lineUserId,
        }),
        ...(input.signText ? { signText: input.signText } : {}),
      }),
    verifiedIdentity: async (verificationId, applicationId) => {
      const v = await verifiedIdentity(db, identity, { verificationId, purpose, ref: applicationId });
      return v
        ? {
            name: v.name,
            address: v.address,
            birthdate: v.birthdate,
            gender: v.gender,
            provider: v.provider,
            verifiedAt: v.verifiedAt,
            signed: v.signature !== undefined,
          }
        : null;
    },
    purgeIdentity: (applicationId) => purgeIdentity(db, { purpose, ref: applicationId }),
    startPayment: (input) =>
      startPayment(db, payments, {
        purpose,
        ref: input.applicationId,
        lines: input.lines,
        description: input.description,
        returnPath: input.returnPath,
      }),
    refreshPayment: (paymentId) => refreshPayment(db, payments, paymentId),
    refundPayment: (input) => refundPayment(db, payments, input),
    onPaymentChange: (listener) => onPaymentChange(purpose, listener),
  };
}
