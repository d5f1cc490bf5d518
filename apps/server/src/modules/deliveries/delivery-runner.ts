import type { Db } from '../../db/database.ts';
import type { Jobs } from '../../platform/jobs.ts';
import { nextScheduledAt, sendingDeliveryIds } from './deliveries.repository.ts';
import type { DeliverySender } from './delivery-sender.ts';
import { expandDueSeries, startDueDelivery } from './delivery-start.ts';

// The delivery pipeline's runner (G-07, G-08, G-12). One run does everything a worker has to do:
//   1. due series: create the occurrence, move the series to its next occurrence (delivery-start.ts);
//   2. due deliveries: scheduled → sending with their recipients resolved into batches
//      (delivery-start.ts, resolving with delivery-audience.ts);
//   3. every `sending` delivery: send (or resume) its pending batches in the background and finish
//      it (delivery-sender.ts);
//   4. arm a timer in this worker for the next scheduled time if it is less than ARM_WINDOW_MS away,
//      so a scheduled delivery starts on time (not at the next poll).
// A run is the job DELIVERY_RUN_JOB (defined in deliveries.module.ts), queued (pg-boss, woken by
// NOTIFY) when a delivery is created or changed, when a worker starts (runtime.ts), and every minute
// as a sweep — which also arms the timers of deliveries
// scheduled further ahead and resumes what a crashed worker left.

export const DELIVERY_RUN_JOB = 'deliveries.run';
export const DELIVERY_SWEEP_JOB = 'deliveries.sweep';

/** Timers are armed for scheduled times at most this far ahead (the minute's sweep covers the rest). */
const ARM_WINDOW_MS = 90_000;

export interface DeliveryRunner {
  run(): Promise<void>;
  stop(): void;
}

export function createDeliveryRunner(deps: {
  db: Db;
  sender: DeliverySender;
  /** The server's public URL: the click redirect links are made with it when a delivery starts. */
  publicUrl: string;
  log?: { error(o: unknown, msg?: string): void };
}): DeliveryRunner {
  const { db, sender } = deps;
  let timer: NodeJS.Timeout | null = null;
  let timerAt = Number.POSITIVE_INFINITY;
  let stopped = false;

  async function runOnce() {
    while (await expandDueSeries(db)) {
      // one series per transaction
    }
    for (;;) {
      const id = await startDueDelivery(db, deps.publicUrl);
      if (!id) break;
      sender.ensure(id);
    }
    for (const id of await sendingDeliveryIds(db)) sender.ensure(id);
  }

  async function arm() {
    const next = await nextScheduledAt(db);
    if (stopped || !next) return;
    const at = next.getTime();
    if (at - Date.now() > ARM_WINDOW_MS || (timer && timerAt <= at)) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(
      () => {
        timer = null;
        timerAt = Number.POSITIVE_INFINITY;
        runner.run().catch(() => {});
      },
      Math.max(0, at - Date.now()),
    );
    timer.unref();
  }

  const runner: DeliveryRunner = {
    async run() {
      if (stopped) return;
      try {
        await runOnce();
        await arm();
      } catch (err) {
        deps.log?.error({ err }, 'delivery scheduler failed; the job is retried');
        throw err;
      }
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
  return runner;
}

/** Queues a run now (a worker that starts resumes deliveries left mid-way at once). */
export async function kickDeliveries(jobs: Jobs): Promise<void> {
  await jobs.send(DELIVERY_RUN_JOB, {});
}
