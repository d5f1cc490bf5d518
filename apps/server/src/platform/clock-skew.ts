import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { defineFigures } from './http/metrics.ts';

// S-10: the server's clock against the database's. Audit times, session expiry, scheduled
// deliveries and reservations compare times written by different machines, so every node and the
// database must keep NTP time (chrony). Measured at start (a warning above CLOCK_SKEW_WARN_SECONDS)
// and at every scrape (madoguchi_clock_skew_seconds; alerts.yml: MadoguchiClockSkew).

export const CLOCK_SKEW_WARN_SECONDS = 1;

/** Server clock minus database clock, in seconds (the round trip's middle against clock_timestamp()). */
export async function measureClockSkew(db: Db): Promise<number> {
  const before = Date.now();
  const { rows } = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(db);
  const after = Date.now();
  return ((before + after) / 2 - rows[0]!.now.getTime()) / 1000;
}

/** Logs a warning when the clocks differ by more than CLOCK_SKEW_WARN_SECONDS; answers the skew. */
export async function warnOnClockSkew(
  db: Db,
  log: { warn(obj: object, msg: string): void },
): Promise<number> {
  const skew = await measureClockSkew(db);
  if (Math.abs(skew) > CLOCK_SKEW_WARN_SECONDS)
    log.warn(
      { skewSeconds: Number(skew.toFixed(3)) },
      'server and database clocks differ by more than 1 s (S-10): check NTP (chrony) on both',
    );
  return skew;
}

defineFigures({
  source: 'clock',
  gauges: {
    madoguchi_clock_skew_seconds: {
      help: 'Server clock minus database clock (S-10), seconds; should stay well within ±1',
    },
  },
  async read({ db }) {
    return { madoguchi_clock_skew_seconds: await measureClockSkew(db) };
  },
});
