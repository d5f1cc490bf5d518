import { describe, expect, it } from 'vitest';
import { type Layout, layoutMarkdown, parseChecks, plainCell } from './handover-export.ts';
import { exportedColumnName } from './handover-tables.ts';

// The data layout's pieces (D-10): code values read from CHECK constraints as PostgreSQL prints them,
// column names of decrypted columns, and the Markdown table cells.

describe('hand-over data layout (D-10)', () => {
  it('D-10: reads code values from `= ANY (ARRAY[...])` checks; other checks stay as written', () => {
    const { codes, other } = parseChecks([
      {
        table: 'consultations',
        definition: "CHECK ((status = ANY (ARRAY['waiting'::text, 'active'::text, 'closed'::text])))",
      },
      { table: 'audit_log', definition: 'CHECK ((chain_version = ANY (ARRAY[1, 2])))' },
      { table: 'rich_menu_tabs', definition: 'CHECK ((("position" >= 0) AND ("position" <= 2)))' },
      { table: 'x', definition: "CHECK ((\"kind\" = ANY (ARRAY['it''s'::text, 'b c'::text])))" },
    ]);
    expect(codes.get('consultations.status')).toEqual(['waiting', 'active', 'closed']);
    expect(codes.get('audit_log.chain_version')).toEqual(['1', '2']);
    expect(codes.get('x.kind')).toEqual(["it's", 'b c']);
    expect(other.get('rich_menu_tabs')).toEqual(['CHECK ((("position" >= 0) AND ("position" <= 2)))']);
    expect(codes.has('rich_menu_tabs.position')).toBe(false);
  });

  it('C-16: a decrypted `*_enc` column is named without `_enc`; secrets and plain columns keep their names', () => {
    expect(exportedColumnName('body_enc', { kind: 'consultation-sealed', consultationIdColumn: 'c' })).toBe(
      'body',
    );
    expect(exportedColumnName('secret_enc', { kind: 'secret', why: 'x' })).toBe('secret_enc');
    expect(exportedColumnName('bytes', { kind: 'file' })).toBe('bytes');
    expect(exportedColumnName('name', undefined)).toBe('name');
  });

  it('D-10: cells: dates as the day they are (not shifted to UTC), timestamps in UTC, JSON as text', () => {
    // node-postgres gives a `date` as local midnight of the day
    expect(plainCell(new Date(2026, 11, 4), 'date')).toBe('2026-12-04');
    expect(plainCell([new Date(2026, 0, 1), new Date(2026, 11, 31)], 'date[]')).toBe(
      '["2026-01-01","2026-12-31"]',
    );
    expect(plainCell(new Date('2026-12-04T00:30:00+09:00'), 'timestamp with time zone')).toBe(
      '2026-12-03T15:30:00.000Z',
    );
    expect(plainCell({ a: [1, '二'] }, 'jsonb')).toBe('{"a":[1,"二"]}');
    expect(plainCell('-12.50', 'numeric(10,2)')).toBe('-12.50');
    expect(plainCell(null, 'text')).toBeNull();
  });

  it('D-10: the Markdown keeps a table cell whole when a meaning has | or a line break', () => {
    const layout: Layout = {
      generatedAt: '2026-12-04T00:00:00.000Z',
      excludedTables: [{ name: 'rate_limits', reason: '一時的なもの' }],
      tables: [
        {
          name: 't',
          meaning: '表 | 説明',
          rows: 2,
          file: 't.csv',
          constraints: [],
          columns: [
            {
              name: 'a',
              sourceColumn: 'a',
              type: 'text',
              nullable: true,
              meaning: '一行目\n二行目',
              exportedAs: 'omitted',
              omittedBecause: '秘密',
              codes: [{ code: 'x', meaning: 'エックス' }],
            },
          ],
        },
      ],
    };
    const md = layoutMarkdown(layout);
    expect(md).toContain('| [t](#t) | 表 \\| 説明 | 2 |');
    expect(md).toContain('| a | text | 可 | 一行目 二行目 | 出力しない（秘密） | `x` エックス |');
    expect(md).toContain('| rate_limits | 一時的なもの |');
  });
});
