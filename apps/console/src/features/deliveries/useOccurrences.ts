import { useEffect, useState } from 'react';
import { type Recurrence, upcomingOccurrences } from './api.ts';

/**
 * The next `count` sending times of a recurrence (POST /api/deliveries/occurrences), asked 400 ms
 * after the last change; null while unknown (no recurrence, asking, or the request failed). An older
 * answer never replaces a newer one.
 */
export function useOccurrences(recurrence: Recurrence | null, count = 3): string[] | null {
  const [occurrences, setOccurrences] = useState<string[] | null>(null);
  const key = recurrence ? JSON.stringify(recurrence) : '';

  useEffect(() => {
    setOccurrences(null);
    if (!key) return;
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      upcomingOccurrences(JSON.parse(key) as Recurrence, count, controller.signal).then(
        (result) => setOccurrences(result.occurrences),
        () => {
          // Unknown: the summary leaves the dates out, the server still decides when saving.
        },
      );
    }, 400);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [key, count]);

  return occurrences;
}
