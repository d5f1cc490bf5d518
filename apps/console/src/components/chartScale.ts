/** A "nice" upper bound and tick list for a count axis starting at 0. */
export function niceTicks(max: number, count = 4): number[] {
  const top = Math.max(1, max);
  const raw = top / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude);
  const ticks: number[] = [];
  for (let v = 0; v < top + step; v += step) {
    ticks.push(v);
    if (v >= top) break;
  }
  return ticks;
}

/** Index positions of x labels so that about `maxLabels` are shown, always including the last one. */
export function labelIndexes(length: number, maxLabels = 8): Set<number> {
  const every = Math.max(1, Math.ceil(length / maxLabels));
  const result = new Set<number>();
  for (let i = length - 1; i >= 0; i -= every) result.add(i);
  return result;
}

export const CHART = { width: 960, height: 240, left: 56, right: 16, top: 16, bottom: 32 } as const;
