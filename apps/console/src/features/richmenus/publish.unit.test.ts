import { describe, expect, it } from 'vitest';
import { EMPTY_PUBLISH_FORM, publishRequest } from './publish.ts';

const messages = { required: 'required', dateTime: 'dateTime', until: 'until' };

describe('rich menu publish form', () => {
  it('publishes as the default now', () => {
    expect(publishRequest(EMPTY_PUBLISH_FORM, messages)).toEqual({ request: { target: 'default' } });
  });

  it('a segment must be chosen', () => {
    expect(publishRequest({ ...EMPTY_PUBLISH_FORM, target: 'segment' }, messages)).toEqual({
      errors: { segmentId: 'required' },
    });
    expect(publishRequest({ ...EMPTY_PUBLISH_FORM, target: 'segment', segmentId: 's1' }, messages)).toEqual({
      request: { target: 'segment', segmentId: 's1' },
    });
  });

  it('a schedule is Tokyo time, from before until; either end may be left open', () => {
    const summer = {
      ...EMPTY_PUBLISH_FORM,
      scheduled: true,
      fromDate: '2027-07-20',
      fromTime: '09:00',
      untilDate: '2027-08-31',
      untilTime: '17:30',
    };
    expect(publishRequest(summer, messages)).toEqual({
      request: { target: 'default', from: '2027-07-20T00:00:00.000Z', until: '2027-08-31T08:30:00.000Z' },
    });
    expect(publishRequest({ ...summer, untilDate: '', untilTime: '' }, messages)).toEqual({
      request: { target: 'default', from: '2027-07-20T00:00:00.000Z' },
    });
    expect(publishRequest({ ...summer, untilDate: '2027-07-19' }, messages)).toEqual({
      errors: { until: 'until' },
    });
    expect(publishRequest({ ...summer, fromTime: '' }, messages)).toEqual({ errors: { from: 'dateTime' } });
  });

  it('without the schedule box the dates are not sent', () => {
    expect(
      publishRequest({ ...EMPTY_PUBLISH_FORM, fromDate: '2027-07-20', fromTime: '09:00' }, messages),
    ).toEqual({ request: { target: 'default' } });
  });
});
