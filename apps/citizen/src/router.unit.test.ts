import { describe, expect, it } from 'vitest';
import { BASE, forwardHref, homeHref, parseRoute, reportHref, surveyHref } from './router.ts';

// The citizen pages' routes: the survey page (Q-01 … Q-05) and the LIFF endpoint's forwarding to it.

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
});
