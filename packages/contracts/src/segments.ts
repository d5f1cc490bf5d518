// A segment (G-04): conditions on registered attributes and friend facts, combined with AND / OR in
// nested groups and NOT. Saved in segments.tree and in deliveries.audience ({kind:'tree'}).
// The zod schemas are in segments.schema.ts (this file has no zod, so the console's bundle has none).

export type SegmentTree =
  | { type: 'and' | 'or'; children: SegmentTree[] }
  | { type: 'not'; child: SegmentTree }
  | { type: 'choice'; itemId: string; choiceIds: string[]; match: 'any' | 'all' | 'none' }
  | { type: 'birthYear'; itemId: string; from?: number | undefined; to?: number | undefined }
  | { type: 'age'; itemId: string; min?: number | undefined; max?: number | undefined }
  | { type: 'registered'; value: boolean }
  | { type: 'followedAt'; from?: string | undefined; to?: string | undefined }
  | { type: 'test'; value: boolean };

export type SegmentLeaf = Exclude<SegmentTree, { type: 'and' | 'or' | 'not' }>;

/** Limits that keep one count well under 0.5 s and a tree editable by people. */
export const SEGMENT_LIMITS = { depth: 6, leaves: 50, children: 20, choices: 500 } as const;

/** Depth (a leaf alone is 1) and the number of leaf conditions. */
export function measureTree(tree: SegmentTree): { depth: number; leaves: number } {
  switch (tree.type) {
    case 'and':
    case 'or': {
      let depth = 0;
      let leaves = 0;
      for (const child of tree.children) {
        const m = measureTree(child);
        depth = Math.max(depth, m.depth);
        leaves += m.leaves;
      }
      return { depth: depth + 1, leaves };
    }
    case 'not': {
      const m = measureTree(tree.child);
      return { depth: m.depth + 1, leaves: m.leaves };
    }
    default:
      return { depth: 1, leaves: 1 };
  }
}

/** A saved segment (timestamps: ISO strings in JSON, Dates on the server). */
export interface SegmentView<Time = string> {
  id: string;
  channelId: string;
  name: string;
  tree: SegmentTree;
  createdAt: Time;
  updatedAt: Time;
}
