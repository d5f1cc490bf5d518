import { createHash, createHmac } from 'node:crypto';
import { defineModule } from '../define-module.ts';
import { registerSurveyCitizenRoutes } from './survey-citizen.routes.ts';
import { pruneSurveyFiles } from './survey-files.ts';
import { registerSurveyRoutes } from './surveys.routes.ts';

// Surveys and public comment (issue 13, Q-01 … Q-05) on the one form engine: staff design them
// (settings here, items with the forms module's designer), friends answer from LINE, staff triage
// and export the answers.

export const SURVEY_FILES_PRUNE_JOB = 'surveys.prune-files';

export const surveysModule = defineModule({
  name: 'surveys',
  lineEvents: [],
  register(app, deps) {
    // The respondent key's secret is derived from the encryption key (never stored), so the key of a
    // person cannot be computed from the database alone.
    const secret = createHash('sha256')
      .update('madoguchi survey respondent')
      .update(deps.config.ENCRYPTION_KEY)
      .digest();
    const surveyDeps = {
      db: deps.db,
      cipher: deps.cipher,
      channels: deps.channels,
      respondentKey: (channelId: string, lineUserId: string, surveyId: string) =>
        createHmac('sha256', secret).update(`${channelId}\n${lineUserId}\n${surveyId}`).digest(),
    };
    registerSurveyRoutes(app, surveyDeps);
    registerSurveyCitizenRoutes(app, surveyDeps);

    // Files uploaded for an answer that was never sent are deleted after a day.
    deps.jobs.define({
      name: SURVEY_FILES_PRUNE_JOB,
      cron: '23 * * * *',
      retryLimit: 0,
      handler: async () => {
        await pruneSurveyFiles(deps.db);
      },
    });
  },
});
