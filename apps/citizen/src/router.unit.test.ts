import { LIFF_PAGES } from '@madoguchi/contracts/richmenu-constants.ts';
import { describe, expect, it } from 'vitest';
import {
  applicationHref,
  applicationsHref,
  BASE,
  bookingsHref,
  forwardHref,
  homeHref,
  parseRoute,
  reportHref,
  sheltersHref,
  surveyHref,
} from './router.ts';

// The citizen pages' routes: the survey page (Q-01 … Q-05), the booking pages (V-01 … V-06) and the
// LIFF endpoint's forwarding to them.

const id = '0b5f6c1e-3a7d-4e2b-9c1f-2d3e4f5a6b7c';

describe('citizen router', () => {
  it('reads /surveys/<uuid> with ?ch=, and anything but a UUID is not found', () => {
    expect(parseRoute(`${BASE}surveys/${id}`, '?ch=1234567890')).toEqual({
      name: 'survey',
      surveyId: id,
      channelId: '1234567890',
    });
    expect(parseRoute(`${BASE}surveys/${id.toUpperCase()}/`, '')).toEqual({
      name: 'survey',
      surveyId: id,
      channelId: null,
    });
    expect(parseRoute(`${BASE}surveys/not-a-uuid`, '').name).toBe('not-found');
    expect(parseRoute(`${BASE}surveys/${id}/more`, '').name).toBe('not-found');
  });

  it('surveyHref keeps ch and round-trips through parseRoute', () => {
    const href = surveyHref(id, '1234567890');
    expect(href).toBe(`${BASE}surveys/${id}?ch=1234567890`);
    const [path, query = ''] = href.split('?');
    expect(parseRoute(path!, `?${query}`)).toMatchObject({ name: 'survey', surveyId: id });
    expect(surveyHref(id, null)).toBe(`${BASE}surveys/${id}`);
  });

  it('the home page forwards page=survey&id=<uuid> to the survey, keeping ch', () => {
    const home = parseRoute(BASE, `?ch=1234567890&page=survey&id=${id}`);
    expect(home).toMatchObject({ name: 'home', page: 'survey', id });
    expect(forwardHref(home)).toBe(surveyHref(id, '1234567890'));
    // Without a (valid) id it stays home.
    expect(forwardHref(parseRoute(BASE, '?ch=1&page=survey'))).toBeNull();
    expect(forwardHref(parseRoute(BASE, '?ch=1&page=survey&id=../x'))).toBeNull();
    // The older forwards are unchanged.
    expect(forwardHref(parseRoute(BASE, '?ch=1&page=register'))).toBe(`${BASE}register?ch=1`);
    expect(forwardHref(parseRoute(BASE, '?ch=1&desk=kodomo'))).toBe(`${BASE}consult/kodomo?ch=1`);
    expect(forwardHref(parseRoute(BASE, '?ch=1'))).toBeNull();
    expect(forwardHref(parseRoute(`${BASE}surveys/${id}`, '?ch=1'))).toBeNull();
  });

  it('homeHref carries the page and its id (the LINE Login return URL of a survey)', () => {
    const href = homeHref('1234567890', null, 'survey', id);
    expect(href).toBe(`${BASE}?ch=1234567890&page=survey&id=${id}`);
    expect(forwardHref(parseRoute(BASE, href.slice(BASE.length)))).toBe(surveyHref(id, '1234567890'));
  });

  it('reads /bookings and /bookings/<uuid> with ?ch=, and anything but a UUID is not found', () => {
    expect(parseRoute(`${BASE}bookings`, '?ch=1234567890')).toEqual({
      name: 'bookings',
      channelId: '1234567890',
    });
    expect(parseRoute(`${BASE}bookings/`, '')).toEqual({ name: 'bookings', channelId: null });
    expect(parseRoute(`${BASE}bookings/${id.toUpperCase()}`, '?ch=1')).toEqual({
      name: 'booking',
      calendarId: id,
      channelId: '1',
    });
    expect(parseRoute(`${BASE}bookings/not-a-uuid`, '').name).toBe('not-found');
    expect(parseRoute(`${BASE}bookings/${id}/more`, '').name).toBe('not-found');
  });

  it('bookingsHref keeps ch and round-trips through parseRoute', () => {
    expect(bookingsHref('1234567890')).toBe(`${BASE}bookings?ch=1234567890`);
    expect(bookingsHref(null, id)).toBe(`${BASE}bookings/${id}`);
    const href = bookingsHref('1234567890', id);
    const [path, query = ''] = href.split('?');
    expect(parseRoute(path!, `?${query}`)).toEqual({
      name: 'booking',
      calendarId: id,
      channelId: '1234567890',
    });
  });

  it('the home page forwards page=booking[&id=<uuid>] to the bookings or the calendar, keeping ch', () => {
    expect(forwardHref(parseRoute(BASE, `?ch=1&page=booking&id=${id}`))).toBe(bookingsHref('1', id));
    expect(forwardHref(parseRoute(BASE, '?ch=1&page=booking'))).toBe(bookingsHref('1'));
    // An id that is not a UUID is dropped: the list of calendars.
    expect(forwardHref(parseRoute(BASE, '?ch=1&page=booking&id=../x'))).toBe(bookingsHref('1'));
    expect(forwardHref(parseRoute(`${BASE}bookings/${id}`, '?ch=1'))).toBeNull();
    // The LINE Login return URL of a calendar comes back to it.
    const back = homeHref('1', null, 'booking', id);
    expect(forwardHref(parseRoute(BASE, back.slice(BASE.length)))).toBe(bookingsHref('1', id));
  });

  it('the fault report page: /reports with ?ch=, forwarded from page=report (R-01)', () => {
    expect(parseRoute(`${BASE}reports`, '?ch=1234567890')).toEqual({
      name: 'report',
      channelId: '1234567890',
    });
    expect(parseRoute(`${BASE}reports/`, '').name).toBe('report');
    expect(parseRoute(`${BASE}reports/x`, '').name).toBe('not-found');
    expect(reportHref('1234567890')).toBe(`${BASE}reports?ch=1234567890`);
    expect(forwardHref(parseRoute(BASE, '?ch=1234567890&page=report'))).toBe(reportHref('1234567890'));
    expect(forwardHref(parseRoute(`${BASE}reports`, '?ch=1'))).toBeNull();
  });

  it('スマホ市役所: /applications (one procedure with ?procedure=), /applications/:id, forwarded from LINE (A-03)', () => {
    const id = '0b3c6f1e-2a4d-4c8b-9f00-1234567890ab';
    expect(parseRoute(`${BASE}applications`, '?ch=1')).toEqual({
      name: 'applications',
      channelId: '1',
      procedureId: null,
    });
    expect(parseRoute(`${BASE}applications`, `?ch=1&procedure=${id}`)).toMatchObject({ procedureId: id });
    expect(parseRoute(`${BASE}applications`, '?ch=1&procedure=nope')).toMatchObject({ procedureId: null });
    expect(parseRoute(`${BASE}applications/${id}`, '?ch=1')).toEqual({
      name: 'application',
      applicationId: id,
      channelId: '1',
    });
    expect(parseRoute(`${BASE}applications/nope`, '').name).toBe('not-found');
    expect(forwardHref(parseRoute(BASE, '?ch=1&page=applications'))).toBe(`${BASE}applications?ch=1`);
    expect(forwardHref(parseRoute(BASE, `?ch=1&page=procedure&id=${id}`))).toBe(applicationsHref('1', id));
    expect(forwardHref(parseRoute(BASE, `?ch=1&page=application&id=${id}`))).toBe(applicationHref(id, '1'));
    // The status message's link without an ID stays home.
    expect(forwardHref(parseRoute(BASE, '?ch=1&page=application'))).toBeNull();
  });

  it("a rich menu's liff pages (LIFF_PAGES) reach their page: bookings, reports, shelters (M-01)", () => {
    for (const page of LIFF_PAGES) {
      const forwarded = forwardHref(parseRoute(BASE, `?ch=1&page=${page}`));
      if (page === 'bookings') expect(forwarded).toBe(bookingsHref('1'));
      else if (page === 'reports') expect(forwarded).toBe(reportHref('1'));
      else if (page === 'shelters') expect(forwarded).toBe(sheltersHref('1'));
      else if (page === 'applications') expect(forwarded).toBe(applicationsHref('1'));
      else if (page === 'register') expect(forwarded).toBe(`${BASE}register?ch=1`);
      // The home page lists the open surveys; consult without a desk stays home too.
      else expect(forwarded).toBeNull();
    }
    expect(parseRoute(`${BASE}shelters`, '?ch=1')).toEqual({ name: 'shelters', channelId: '1' });
  });
});
