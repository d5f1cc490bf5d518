import path from 'node:path';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { JobDefinition } from '../jobs.ts';
import { type CheckpointTarget, writeAuditCheckpoint } from './audit.service.ts';

export const AUDIT_CHECKPOINT_JOB = 'audit-checkpoint';

export function checkpointTarget(config: Config): CheckpointTarget {
  return {
    file: config.AUDIT_CHECKPOINT_FILE ?? path.join(config.DATA_DIR, 'audit-checkpoints.jsonl'),
    syslog: config.AUDIT_CHECKPOINT_SYSLOG,
  };
}

/** Every 10 minutes: the chain head goes to the checkpoint file (and syslog) outside the database. */
export function auditCheckpointJob(opts: {
  db: Db;
  config: Config;
  log: { error(o: object, msg: string): void };
}): JobDefinition<object> {
  const target = checkpointTarget(opts.config);
  return {
    name: AUDIT_CHECKPOINT_JOB,
    cron: '*/10 * * * *',
    retryLimit: 0,
    handler: async () => {
      try {
        await writeAuditCheckpoint(opts.db, target);
      } catch (err) {
        opts.log.error({ err }, 'audit checkpoint failed');
        throw err;
      }
    },
  };
}
