// Segment count timing at scale (G-04: the audience size in under 0.5 s with 200,000 friends).
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node apps/server/src/testing/count-timing.ts [friends]
//
// Creates a scratch database on that server, seeds the friends with seedFriendsWithAttributes, times
// countAudience (form lookup + compile + count, as POST /api/segments/count does) for several trees
// (best, median and worst of 5 runs after one warm-up), prints the plan of one tree (PLAN_TREE=index,
// default 3 = sampleSegmentTree), and drops the database. Prints times; asserts nothing.
import pg from 'pg';
import { createDb } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createScratchDatabase } from '../db/scratch-database.ts';
import type { SegmentTree } from '../modules/segments/segment.schema.ts';
import { audienceQuery, countAudience } from '../modules/segments/segments.service.ts';
import { sampleSegmentTree, seedFriendsWithAttributes } from './seed-friends.ts';

const adminUrl = process.env.DATABASE_URL;
if (!adminUrl) throw new Error('DATABASE_URL (an admin connection to PostgreSQL) is required');
const count = Number(process.argv[2] ?? 200_000);

const scratch = await createScratchDatabase(adminUrl, 'madoguchi_segcount');
const { db } = createDb(scratch.url, 4);
try {
  await migrateToLatest(db);
  const channel = await db
    .insertInto('channels')
    .values({
      name: '計測用',
      line_channel_id: '1000000001',
      environment: 'production',
      channel_secret_enc: 'x',
      access_token_enc: 'x',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  let started = performance.now();
  const seeded = await seedFriendsWithAttributes(db, { channelId: channel.id, count, testFriends: 20 });
  console.log(
    `seeded ${seeded.friends} friends (${seeded.registered} registered) in ${Math.round(performance.now() - started)} ms`,
  );

  const trees: [string, SegmentTree | null][] = [
    ['all following friends', null],
    ['registered = false', { type: 'registered', value: false }],
    [
      'topic any of 3',
      {
        type: 'choice',
        itemId: seeded.topics.itemId,
        choiceIds: seeded.topics.choiceIds.slice(0, 3),
        match: 'any',
      },
    ],
    ['nested AND/OR/NOT (sampleSegmentTree)', sampleSegmentTree(seeded)],
    [
      'nested with age, ward all, followedAt, none',
      {
        type: 'and',
        children: [
          {
            type: 'or',
            children: [
              { type: 'age', itemId: seeded.birthYear.itemId, min: 30, max: 49 },
              {
                type: 'choice',
                itemId: seeded.lifestyle.itemId,
                choiceIds: seeded.lifestyle.choiceIds.slice(0, 2),
                match: 'all',
              },
            ],
          },
          {
            type: 'not',
            child: {
              type: 'choice',
              itemId: seeded.topics.itemId,
              choiceIds: seeded.topics.choiceIds.slice(10, 14),
              match: 'none',
            },
          },
          { type: 'followedAt', from: '2000-01-01' },
          {
            type: 'choice',
            itemId: seeded.area.itemId,
            choiceIds: seeded.area.wards.slice(0, 3).map((w) => w.id),
            match: 'any',
          },
        ],
      },
    ],
    [
      'OR with unregistered and NOTs (outer join kept)',
      {
        type: 'or',
        children: [
          { type: 'registered', value: false },
          {
            type: 'and',
            children: [
              {
                type: 'not',
                child: {
                  type: 'choice',
                  itemId: seeded.topics.itemId,
                  choiceIds: seeded.topics.choiceIds.slice(0, 2),
                  match: 'any',
                },
              },
              { type: 'not', child: { type: 'age', itemId: seeded.birthYear.itemId, min: 30, max: 49 } },
            ],
          },
        ],
      },
    ],
  ];

  for (const [name, tree] of trees) {
    await countAudience(db, channel.id, tree);
    const times: number[] = [];
    let n = 0;
    for (let run = 0; run < 5; run++) {
      started = performance.now();
      n = await countAudience(db, channel.id, tree);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(
      `${name}: ${n} friends, best ${times[0]!.toFixed(1)} ms, median ${times[2]!.toFixed(1)} ms, worst ${times[4]!.toFixed(1)} ms`,
    );
  }

  const query = await audienceQuery(db, channel.id, trees[Number(process.env.PLAN_TREE ?? 3)]![1]);
  const compiled = db
    .selectFrom(query.as('a'))
    .select((eb) => eb.fn.countAll().as('n'))
    .compile();
  const client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
  const explained = await client.query(`explain (analyze, buffers) ${compiled.sql}`, [
    ...compiled.parameters,
  ]);
  await client.end();
  console.log(explained.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n'));
} finally {
  await db.destroy();
  await scratch.drop();
}
