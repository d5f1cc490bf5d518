import type { PublishRequest } from '@madoguchi/contracts/richmenus.ts';
import { jstToIso } from '../deliveries/time.ts';

// The publish form (M-01, M-03): the default menu or a saved segment, now or from / until a date and
// time in Tokyo; checked here, then sent as the contract's PublishRequest.

export type PublishForm = {
  target: 'default' | 'segment';
  segmentId: string;
  scheduled: boolean;
  fromDate: string;
  fromTime: string;
  untilDate: string;
  untilTime: string;
};

export const EMPTY_PUBLISH_FORM: PublishForm = {
  target: 'default',
  segmentId: '',
  scheduled: false,
  fromDate: '',
  fromTime: '',
  untilDate: '',
  untilTime: '',
};

/** Checks the form; the request, or messages per field. */
export function publishRequest(
  f: PublishForm,
  messages: { required: string; dateTime: string; until: string },
): { request: PublishRequest } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (f.target === 'segment' && !f.segmentId) errors.segmentId = messages.required;
  const at = (date: string, time: string, key: string) => {
    if (!date && !time) return undefined;
    const iso = jstToIso(date, time);
    if (!iso) errors[key] = messages.dateTime;
    return iso ?? undefined;
  };
  const from = f.scheduled ? at(f.fromDate, f.fromTime, 'from') : undefined;
  const until = f.scheduled ? at(f.untilDate, f.untilTime, 'until') : undefined;
  if (from && until && Date.parse(from) >= Date.parse(until)) errors.until = messages.until;
  if (Object.keys(errors).length > 0) return { errors };
  const period = { ...(from ? { from } : {}), ...(until ? { until } : {}) };
  return {
    request:
      f.target === 'segment'
        ? { target: 'segment', segmentId: f.segmentId, ...period }
        : { target: 'default', ...period },
  };
}
