import type { Db } from '../../db/database.ts';
import { tokyoDateTime } from '../../platform/tokyo-time.ts';
import { tokyoDayStart } from './payment-staff.ts';
import { reconciliationPage } from './payments.repository.ts';
import type { ReconciliationQuery } from './payments.schema.ts';

// The daily reconciliation export: the money movements of [from, to] (Tokyo days) — each
// payment by when it was paid, each refund by when it succeeded (negative) — then the fees per
// procedure: per purpose and line label, the quantity and the net amount. Read page by page.

const PAGE = 2000;

const STATUS_LABELS: Record<string, string> = {
  pending: '未決済',
  paid: '支払済',
  failed: '失敗',
  canceled: '取消',
  refunded: '返金済',
  succeeded: '返金完了',
};

const FLAG_LABELS: Record<string, string> = {
  amount_mismatch: '金額不一致',
  paid_after_close: '終了後の入金',
};

export const RECONCILIATION_HEADER = [
  '種別',
  '日時',
  '支払ID',
  '用途',
  '参照',
  '内容',
  '明細',
  '金額（円）',
  '決済サービス',
  '決済ID',
  '状態',
  '要確認',
];

export function reconciliationExport(db: Db, q: ReconciliationQuery) {
  const range = { from: tokyoDayStart(q.from), to: new Date(tokyoDayStart(q.to).getTime() + 86_400_000) };
  async function* pages() {
    const fees = new Map<string, { purpose: string; label: string; quantity: number; amount: number }>();
    let after: { at: Date; kind: string; paymentId: string } | null = null;
    for (;;) {
      const rows = await reconciliationPage(db, range, after, PAGE);
      if (rows.length === 0) break;
      const last = rows[rows.length - 1]!;
      after = { at: last.at, kind: last.kind, paymentId: last.payment_id };
      yield rows.map((r) => {
        const sign = r.kind === 'refund' ? -1 : 1;
        for (const l of r.lines) {
          const key = `${r.purpose}\u0000${l.label}`;
          const f = fees.get(key) ?? { purpose: r.purpose, label: l.label, quantity: 0, amount: 0 };
          f.quantity += sign * l.quantity;
          f.amount += sign * l.unitAmount * l.quantity;
          fees.set(key, f);
        }
        return [
          r.kind === 'refund' ? '返金' : '入金',
          tokyoDateTime(r.at),
          r.payment_id,
          r.purpose,
          r.ref,
          r.description,
          r.lines.map((l) => `${l.label} ${l.unitAmount}円×${l.quantity}`).join(' / '),
          r.amount,
          r.provider,
          r.kind === 'refund' ? (r.refund_ref ?? '') : (r.provider_payment_ref ?? r.provider_ref ?? ''),
          STATUS_LABELS[r.status] ?? r.status,
          r.flag ? (FLAG_LABELS[r.flag] ?? r.flag) : '',
        ];
      });
      if (rows.length < PAGE) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const summary = [...fees.values()].sort((a, b) =>
      a.purpose === b.purpose ? a.label.localeCompare(b.label, 'ja') : a.purpose.localeCompare(b.purpose),
    );
    if (summary.length) {
      yield summary.map((f) => [
        '手数料集計',
        '',
        '',
        f.purpose,
        '',
        `${f.quantity}点`,
        f.label,
        f.amount,
        '',
        '',
        '',
        '',
      ]);
    }
  }
  return { header: RECONCILIATION_HEADER, pages };
}
