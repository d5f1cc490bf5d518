import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import {
  hasPaymentsOf,
  paymentsDepsFrom,
  refreshPayment,
  refundPayment,
  startPayment,
} from '../modules/payments/payments.service.ts';
import type { Cipher } from '../platform/crypto.ts';

// The demo's payments (A-02, issue 15), made through the real path — startPayment, the Stripe
// stand-in's checkout paid with its /_sim call, the server-side check — so the console's 決済 page
// and the reconciliation export have something to show: two paid (住民票の写し with postage), one of
// them refunded. Only when Stripe points at the simulator's stand-in; never pending ones (the
// stand-in forgets its sessions when npm start stops).

const DEMO = 'demo';

export async function seedDemoPayments(opts: {
  db: Db;
  cipher: Cipher;
  config: Config;
  simulatorUrl: string | null;
  adminId: string | null;
}): Promise<string[]> {
  const { db, config, simulatorUrl } = opts;
  if (!simulatorUrl || config.PAYMENT_PROVIDER !== 'stripe' || config.STRIPE_API_BASE !== simulatorUrl)
    return [];
  if (await hasPaymentsOf(db, DEMO)) return [];
  try {
    return await seed(opts);
  } catch (err) {
    // The demo starts without them rather than not at all.
    return [`デモの支払いを登録できませんでした（${String((err as Error)?.message ?? err)}）`];
  }
}

async function seed(opts: Parameters<typeof seedDemoPayments>[0]): Promise<string[]> {
  const { db, config } = opts;
  const simulatorUrl = opts.simulatorUrl!;
  const deps = paymentsDepsFrom({ config, cipher: opts.cipher });
  const made: string[] = [];
  for (const [i, copies] of [2, 1].entries()) {
    const p = await startPayment(db, deps, {
      purpose: DEMO,
      ref: `demo-${i + 1}`,
      lines: [
        { label: '住民票の写し', unitAmount: 300, quantity: copies },
        { label: '郵送料', unitAmount: 110, quantity: 1 },
      ],
      description: '住民票の写しの交付手数料（デモ）',
      returnPath: '/citizen/',
    });
    const log = (await (await fetch(`${simulatorUrl}/_sim/payments/log`)).json()) as {
      sessions: { id: string; metadata: Record<string, string> }[];
    };
    const session = log.sessions.find((s) => s.metadata.payment_id === p.paymentId);
    if (!session) continue;
    await fetch(`${simulatorUrl}/_sim/payments/sessions/${session.id}/pay`, { method: 'POST' });
    await refreshPayment(db, deps, p.paymentId);
    made.push(p.paymentId);
  }
  if (made[1] && opts.adminId) {
    await refundPayment(db, deps, {
      paymentId: made[1],
      reason: 'デモの返金（申請の取り下げ）',
      actorId: opts.adminId,
    });
  }
  return made.length
    ? [`デモの支払い ${made.length} 件（うち返金 1 件）を登録しました（テスト用の決済）`]
    : [];
}
