import { defineModule } from '../define-module.ts';
import { OUTBOX_JOB } from '../line-events/outbox-sender.ts';
import { MAIL_JOB } from '../mail/mail.service.ts';
import { loadCityBoundary } from './city-boundary.ts';
import { registerReportCitizenRoutes } from './report-citizen.routes.ts';
import { subscribeReportLocation } from './report-line-location.ts';
import { registerReportRoutes } from './reports.routes.ts';
import { pruneLineLocations, prunePhotos, sealPlainPhotos } from './reports.service.ts';

// Fault reports (issue 13, R-01 … R-03): friends report with photos, the place, date and time and a
// text from LINE; places outside the city boundary are refused; each category's addresses are
// notified by e-mail (through the mail outbox, modules/mail: retried, never lost); staff triage in the console and
// the reporter hears in LINE when it is fixed. The place may come as a LINE location message the report
// page asked for (report-line-location.ts): this module handles `message` before shelters (app.ts).

export const REPORT_PHOTOS_PRUNE_JOB = 'reports.prune-photos';
export const REPORT_LINE_LOCATIONS_PRUNE_JOB = 'reports.prune-line-locations';

export const reportsModule = defineModule({
  name: 'reports',
  lineEvents: ['message'],
  register(app, deps) {
    const boundary = loadCityBoundary(deps.config.CITY_BOUNDARY_FILE);
    const onMail = deps.trigger(MAIL_JOB, 20);
    const reportDeps = {
      db: deps.db,
      cipher: deps.cipher,
      channels: deps.channels,
      boundary,
      publicUrl: deps.config.PUBLIC_URL,
      onMail,
      onOutbox: deps.trigger(OUTBOX_JOB, 20),
    };
    registerReportRoutes(app, reportDeps);
    registerReportCitizenRoutes(app, reportDeps);
    subscribeReportLocation(deps.bus, reportDeps);

    deps.jobs.define({
      name: REPORT_PHOTOS_PRUNE_JOB,
      cron: '17 * * * *',
      retryLimit: 0,
      handler: async () => {
        await prunePhotos(deps);
        await sealPlainPhotos(reportDeps);
      },
    });
    deps.jobs.define({
      name: REPORT_LINE_LOCATIONS_PRUNE_JOB,
      cron: '27 * * * *',
      retryLimit: 0,
      handler: async () => {
        await pruneLineLocations(deps);
      },
    });
  },
});
