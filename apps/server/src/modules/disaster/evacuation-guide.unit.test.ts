import { describe, expect, it } from 'vitest';
import { guideReply, PLACES, parseGuide } from './evacuation-guide.ts';

// The evacuation guidance's steps: the answers ride in the postback data, damaged data starts
// again, every reply fits LINE's limits (≤ 5 messages, quick reply labels ≤ 20, data ≤ 300).

describe('evacuation guidance steps (X-02)', () => {
  it('X-02: reads each step and its answers; damaged or foreign data starts again or is not ours', () => {
    expect(parseGuide('guide=start&rm=00000000-0000-0000-0000-000000000000')).toEqual({ step: 'start' });
    expect(parseGuide('rm=x&scenario=evacuation')).toEqual({ step: 'start' });
    expect(parseGuide('guide=where&at=home')).toEqual({ step: 'where', at: 'home' });
    expect(parseGuide('guide=safe&at=out&safe=no')).toEqual({ step: 'safe', at: 'out', safe: 'no' });
    expect(parseGuide('guide=help&at=other&safe=yes&help=yes')).toEqual({
      step: 'help',
      at: 'other',
      safe: 'yes',
      help: 'yes',
    });
    expect(parseGuide('guide=help&at=mars&safe=yes&help=yes')).toEqual({ step: 'start' });
    expect(parseGuide('guide=help&at=home&safe=maybe')).toEqual({ step: 'where', at: 'home' });
    expect(parseGuide('guide=help&at=home&safe=yes')).toEqual({ step: 'safe', at: 'home', safe: 'yes' });
    expect(parseGuide('guide=nope')).toBeNull();
    expect(parseGuide('action=shelters')).toBeNull();
    expect(parseGuide('scenario=other')).toBeNull();
  });

  it('X-02: each reply fits LINE (≤ 5 messages, labels ≤ 20, data ≤ 300) and every path ends at the location button', () => {
    const places = Object.keys(PLACES) as (keyof typeof PLACES)[];
    for (const at of places) {
      for (const safe of ['yes', 'no'] as const) {
        for (const help of ['yes', 'no'] as const) {
          const answers = [
            { step: 'start' as const },
            { step: 'where' as const, at },
            { step: 'safe' as const, at, safe },
            { step: 'help' as const, at, safe, help },
          ];
          for (const a of answers) {
            const reply = guideReply(a, '市役所 0000');
            expect(reply.length).toBeLessThanOrEqual(5);
            for (const m of reply) {
              for (const item of (
                m as { quickReply?: { items: { action: { label?: string; data?: string } }[] } }
              ).quickReply?.items ?? []) {
                expect([...(item.action.label ?? '')].length).toBeLessThanOrEqual(20);
                expect((item.action.data ?? '').length).toBeLessThanOrEqual(300);
              }
            }
          }
          const end = guideReply(answers[3]!, '市役所 0000');
          const last = end.at(-1) as { quickReply: { items: { action: { type: string } }[] } };
          expect(last.quickReply.items[0]!.action.type).toBe('location');
          expect(JSON.stringify(end).includes('119')).toBe(help === 'yes');
        }
      }
    }
  });
});
