import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { createChannelsService } from '../../apps/server/src/modules/channels/channels.service.ts';
import { addItem, sealTexts } from '../../apps/server/src/modules/forms/forms.service.ts';
import { createSurvey, setSurveyStatus } from '../../apps/server/src/modules/surveys/surveys.service.ts';
import { createCipher } from '../../apps/server/src/platform/crypto.ts';
import { seedFriendsWithAttributes } from '../../apps/server/src/testing/seed-friends.ts';
import { createBenchCity } from '../bench-admin.ts';
import { runBenchServer } from '../webhook/server-child.ts';

// The server side of the export-memory benchmark, run as a child process of run.ts (see
// ../webhook/server-child.ts for the database, the runtime and the command loop), so that its memory
// is the server's alone. Before it reports ready it creates one channel and an admin account.
// Commands (one JSON line each):
//   seed N   -> {friends, registered, seedMs}: N following friends with registration answers
//               (segments' seeding, one INSERT … SELECT over generate_series per table), then VACUUM ANALYZE
//   survey N -> {surveyId, responses, seedMs}: a survey (a choice, a number and a free-text item, made
//               through the product's services) with N anonymous answers (one INSERT … SELECT over
//               generate_series; every answer's text sealed like a citizen's)
//   stats    -> process statistics (CPU, memory, event-loop delay since the last reset)
//   watch    -> {}: starts sampling process.memoryUsage() every 20 ms (what RSS is made of)
//   watched  -> {heapUsedMb, heapTotalMb, externalMb, arrayBuffersMb}: the peaks since `watch`, and stops
//   reset, stop -> see server-child.ts

let channelId = '';

const peaks = { heapUsedMb: 0, heapTotalMb: 0, externalMb: 0, arrayBuffersMb: 0 };
let sampler: NodeJS.Timeout | undefined;
function sample() {
  const m = process.memoryUsage();
  const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
  peaks.heapUsedMb = Math.max(peaks.heapUsedMb, mb(m.heapUsed));
  peaks.heapTotalMb = Math.max(peaks.heapTotalMb, mb(m.heapTotal));
  peaks.externalMb = Math.max(peaks.externalMb, mb(m.external));
  peaks.arrayBuffersMb = Math.max(peaks.arrayBuffersMb, mb(m.arrayBuffers));
}

await runBenchServer({
  name: 'export-memory bench server',
  async setup(server) {
    const { channelId: id, loginId, password } = await createBenchCity(server, '1234567891');
    channelId = id;
    return { channelId, loginId, password };
  },
  commands: (server) => ({
    async seed(argument) {
      const db = server.rt.db;
      const count = Number(argument);
      if (!Number.isInteger(count) || count < 1) throw new Error('seed needs a count');
      const t0 = performance.now();
      const seeded = await seedFriendsWithAttributes(db, { channelId, count, tag: 'bench' });
      await sql`vacuum analyze friends`.execute(db);
      await sql`vacuum analyze form_responses`.execute(db);
      return {
        friends: seeded.friends,
        registered: seeded.registered,
        seedMs: Math.round(performance.now() - t0),
      };
    },
    async survey(argument) {
      const db = server.rt.db;
      const count = Number(argument);
      if (!Number.isInteger(count) || count < 1) throw new Error('survey needs a count');
      const t0 = performance.now();
      const cipher = createCipher(server.encryptionKey);
      const channels = createChannelsService({ db, cipher, publicUrl: server.config.PUBLIC_URL });
      const deps = { db, cipher, channels, respondentKey: () => Buffer.alloc(32) };
      const s = await createSurvey(
        deps,
        {
          channelId,
          kind: 'survey',
          title: 'ベンチ アンケート',
          description: '',
          mode: 'append',
          anonymous: true,
          opensAt: null,
          closesAt: null,
          audienceSegmentId: null,
        },
        null,
      );
      const item = (input: Record<string, unknown>) => ({
        required: false,
        help: '',
        config: {},
        choices: [],
        ...input,
      });
      await addItem(
        db,
        s.form.id,
        item({
          key: 'q1',
          type: 'single',
          label: '満足度',
          choices: [{ label: '満足' }, { label: '不満' }],
        }) as never,
      );
      await addItem(db, s.form.id, item({ key: 'age', type: 'number', label: '年齢' }) as never);
      const form = await addItem(
        db,
        s.form.id,
        item({ key: 'opinion', type: 'textarea', label: 'ご意見' }) as never,
      );
      await setSurveyStatus(deps, s.id, 'open');
      const choices = form.items.find((i) => i.key === 'q1')!.choices.map((c) => c.id);
      const sealed = sealTexts(cipher, {
        opinion: '駅前の歩道を広げてほしい。夜は街灯が少なく暗いので、増やしてほしいです。',
      });
      await sql`
        insert into survey_responses (survey_id, respondent_key, slot, choice_ids, numbers, texts_enc, text_keys)
        select ${s.id}::uuid, decode(md5(g::text), 'hex'), g::text,
               array[(array[${choices[0]}, ${choices[1]}]::bigint[])[1 + g % 2]],
               jsonb_build_object('age', 18 + g % 70), ${sealed}, array['opinion']
          from generate_series(1, ${count}) g
      `.execute(db);
      await sql`vacuum analyze survey_responses`.execute(db);
      return { surveyId: s.id, responses: count, seedMs: Math.round(performance.now() - t0) };
    },
    async stats() {
      return server.processStats();
    },
    async watch() {
      for (const k of Object.keys(peaks) as (keyof typeof peaks)[]) peaks[k] = 0;
      sample();
      clearInterval(sampler);
      sampler = setInterval(sample, 20);
      return {};
    },
    async watched() {
      clearInterval(sampler);
      sample();
      return { ...peaks };
    },
  }),
});
