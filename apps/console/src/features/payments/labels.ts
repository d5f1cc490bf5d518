import type { PaymentStatus, RefundStatus } from '@madoguchi/contracts/payments.ts';
import type { BadgeTone } from '../../components/Badge.tsx';
import type { MessageKey } from '../../i18n/ja.ts';

export const STATUS_TONE: Record<PaymentStatus, BadgeTone> = {
  pending: 'warning',
  paid: 'success',
  failed: 'danger',
  canceled: 'neutral',
  refunded: 'info',
};

export const statusKey = (s: PaymentStatus) => `payments.status.${s}` as MessageKey;
export const refundStatusKey = (s: RefundStatus) => `payments.refund.status.${s}` as MessageKey;
export const flagKey = (f: string) => `payments.flag.${f}` as MessageKey;
export const eventStateKey = (s: string) => `payments.event.state.${s}` as MessageKey;

export const yen = (n: number) => `${n.toLocaleString('ja-JP')} 円`;
