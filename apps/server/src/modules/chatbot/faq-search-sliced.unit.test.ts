import { describe, expect, it } from 'vitest';
import { buildFaqIndex, buildFaqIndexSliced, type FaqDoc, scoreFaq, searchFaq } from './faq-search.ts';
import { CITY_FAQ } from './testdata/city-faq.ts';

// The index built in slices (issue 12, B-04): the same index as the one-go build, and the event
// loop runs between its slices (a 5,000-row build must not hold the server's loop).

const docs: FaqDoc[] = [];
for (let k = 0; k < 20; k++)
  CITY_FAQ.forEach(([question, answer, category, keywords, link], i) => {
    docs.push({
      id: `${k}-${i}`,
      rowNo: k * 100 + i + 1,
      question: `${question}（${k}地区）`,
      answer,
      category,
      keywords: keywords.split('、'),
      link: link || null,
    });
  });
const queries = [
  '粗大ゴミはどうやって出すの',
  '住民票がほしい',
  '今日の天気は？',
  'ゴミ',
  '税金',
  '婚姻届の出し方',
];

describe('faq search index built in slices (B-04)', () => {
  it('B-04: the sliced build scores every question exactly as the one-go build', async () => {
    const once = buildFaqIndex(docs);
    const sliced = await buildFaqIndexSliced(docs);
    for (const q of queries) {
      expect(scoreFaq(sliced, q)).toEqual(scoreFaq(once, q));
      expect(searchFaq(sliced, q)).toEqual(searchFaq(once, q));
    }
  });

  it('B-04: the event loop runs between the slices of a build', async () => {
    let ticks = 0;
    let building = true;
    const tick = () => {
      ticks++;
      if (building) setImmediate(tick);
    };
    setImmediate(tick);
    // A zero budget: every step of the build gives the loop back.
    const index = await buildFaqIndexSliced(docs, 0);
    building = false;
    expect(ticks).toBeGreaterThan(10);
    expect(scoreFaq(index, '婚姻届の出し方（3地区）')[0]).toMatchObject({
      score: 1,
      doc: { question: '婚姻届の出し方（3地区）' },
    });
  });

  it('B-04: an empty FAQ builds without waiting and answers nothing', async () => {
    expect(searchFaq(await buildFaqIndexSliced([]), '住民票')).toEqual({ kind: 'none' });
  });
});
