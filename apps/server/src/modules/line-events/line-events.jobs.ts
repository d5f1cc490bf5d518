import type { JobDefinition } from '../../platform/jobs.ts';
import { DISPATCH_JOB, type LineEventsService } from './line-events.service.ts';

export const SWEEP_JOB = 'line-events.sweep';

export function lineEventJobs(service: LineEventsService): JobDefinition<object>[] {
  const run = async () => {
    await service.dispatchPending();
  };
  return [
    { name: DISPATCH_JOB, handler: run, retryLimit: 3 },
    // Safety net: events stored while no job could be queued (crash between commit and send).
    { name: SWEEP_JOB, handler: run, cron: '* * * * *', retryLimit: 0 },
  ];
}
