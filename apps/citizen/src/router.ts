import { useSyncExternalStore } from 'react';

// A tiny client-side router for the citizen pages (no library). The server answers every unknown path
// below /citizen/ with index.html, so deep links work.
//   /citizen/                  home (LIFF endpoint; `?ch=<channelId>[&desk=<slug>]`)
//   /citizen/consult/:slug     consultation chat (`?ch=` for LINE consultees, none for web consultees)
//   /citizen/shelters          shelter search (X-03), public: no LINE sign-in
//   /citizen/register          registration (受信設定, `?ch=`); LINE opens it as the home page with
//                              `page=register` (https://liff.line.me/<liffId>?page=register)
//   /citizen/surveys/:id       a survey or public comment (`?ch=`); LINE opens it as the home page with
//                              `page=survey&id=<id>` (https://liff.line.me/<liffId>?page=survey&id=<id>)
//   /citizen/bookings          the channel's booking calendars and 予約の確認・取消 (`?ch=`); LINE opens it
//                              as the home page with `page=booking`
//   /citizen/bookings/:id      one booking calendar (`?ch=`); LINE opens it with `page=booking&id=<id>`
//                              (https://liff.line.me/<liffId>?page=booking&id=<id>)
//   /citizen/reports           a fault report (通報, `?ch=`); LINE opens it as the home page with
//                              `page=report` (https://liff.line.me/<liffId>?page=report)
//   /citizen/applications      スマホ市役所: the procedures and 申請の一覧 (`?ch=`, `&procedure=<id>` for one
//                              procedure); LINE opens it with `page=applications` (or `page=procedure&id=`)
//   /citizen/applications/:id  one application, step by step (`?ch=`); the identity and payment
//                              providers return here; LINE's status message opens it with
//                              `page=application&id=<id>`

export const BASE = import.meta.env.BASE_URL; // '/citizen/'

export type Route =
  | {
      name: 'home';
      channelId: string | null;
      desk: string | null;
      page: string | null;
      /** The survey of `page=survey`, the calendar of `page=booking` (a UUID; anything else is dropped). */
      id: string | null;
    }
  | { name: 'consult'; slug: string; channelId: string | null }
  | { name: 'register'; channelId: string | null }
  | { name: 'survey'; surveyId: string; channelId: string | null }
  | { name: 'bookings'; channelId: string | null }
  | { name: 'booking'; calendarId: string; channelId: string | null }
  | { name: 'report'; channelId: string | null }
  | { name: 'applications'; channelId: string | null; procedureId: string | null }
  | { name: 'application'; applicationId: string; channelId: string | null }
  | { name: 'shelters'; channelId: string | null }
  | { name: 'not-found'; channelId: string | null };

function param(search: URLSearchParams, name: string): string | null {
  return search.get(name)?.trim() || null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidParam(search: URLSearchParams, name: string): string | null {
  const value = param(search, name);
  return value && UUID.test(value) ? value.toLowerCase() : null;
}

/** The route for a path and query string (the path includes BASE). */
export function parseRoute(pathname: string, search: string): Route {
  const query = new URLSearchParams(search);
  const channelId = param(query, 'ch');
  const base = BASE.replace(/\/$/, '');
  if (pathname !== base && !pathname.startsWith(BASE)) return { name: 'not-found', channelId };
  const rest = pathname.slice(BASE.length).replace(/\/+$/, '');
  if (rest === '' || rest === 'index.html')
    return {
      name: 'home',
      channelId,
      desk: param(query, 'desk'),
      page: param(query, 'page'),
      id: uuidParam(query, 'id'),
    };
  if (rest === 'register') return { name: 'register', channelId };
  if (rest === 'shelters') return { name: 'shelters', channelId };
  if (rest === 'bookings') return { name: 'bookings', channelId };
  const booking = /^bookings\/([^/]+)$/.exec(rest);
  if (booking?.[1]) {
    return UUID.test(booking[1])
      ? { name: 'booking', calendarId: booking[1].toLowerCase(), channelId }
      : { name: 'not-found', channelId };
  }
  if (rest === 'reports') return { name: 'report', channelId };
  if (rest === 'applications')
    return { name: 'applications', channelId, procedureId: uuidParam(query, 'procedure') };
  const application = /^applications\/([^/]+)$/.exec(rest);
  if (application?.[1]) {
    return UUID.test(application[1])
      ? { name: 'application', applicationId: application[1].toLowerCase(), channelId }
      : { name: 'not-found', channelId };
  }
  const survey = /^surveys\/([^/]+)$/.exec(rest);
  if (survey?.[1]) {
    return UUID.test(survey[1])
      ? { name: 'survey', surveyId: survey[1].toLowerCase(), channelId }
      : { name: 'not-found', channelId };
  }
  const match = /^consult\/([^/]+)$/.exec(rest);
  if (match?.[1]) {
    let slug: string;
    try {
      slug = decodeURIComponent(match[1]);
    } catch {
      return { name: 'not-found', channelId };
    }
    return { name: 'consult', slug, channelId };
  }
  return { name: 'not-found', channelId };
}

/** `/citizen/consult/<slug>`, keeping `ch` so a LINE consultee's sign-in still works there. */
export function consultHref(slug: string, channelId: string | null): string {
  const query = channelId ? `?${new URLSearchParams({ ch: channelId })}` : '';
  return `${BASE}consult/${encodeURIComponent(slug)}${query}`;
}

/** `/citizen/register`, the registration page (G-01 … G-03). */
export function registerHref(channelId: string | null): string {
  const query = channelId ? `?${new URLSearchParams({ ch: channelId })}` : '';
  return `${BASE}register${query}`;
}

/** `/citizen/surveys/<id>`, a survey or public comment (Q-01 … Q-05). */
export function surveyHref(surveyId: string, channelId: string | null): string {
  const query = channelId ? `?${new URLSearchParams({ ch: channelId })}` : '';
  return `${BASE}surveys/${encodeURIComponent(surveyId)}${query}`;
}

/** `/citizen/reports`, the fault report page (R-01 … R-03). */
export function reportHref(channelId: string | null): string {
  const query = channelId ? `?${new URLSearchParams({ ch: channelId })}` : '';
  return `${BASE}reports${query}`;
}

/** `/citizen/applications` (A-03): the procedures and 申請の一覧, or one procedure to start. */
export function applicationsHref(channelId: string | null, procedureId: string | null = null): string {
  const query = new URLSearchParams();
  if (channelId) query.set('ch', channelId);
  if (procedureId) query.set('procedure', procedureId);
  const text = query.toString();
  return `${BASE}applications${text ? `?${text}` : ''}`;
}

/** `/citizen/applications/<id>`: one application (A-01 … A-03). */
export function applicationHref(applicationId: string, channelId: string | null): string {
  const query = channelId ? `?${new URLSearchParams({ ch: channelId })}` : '';
  return `${BASE}applications/${encodeURIComponent(applicationId)}${query}`;
}

/** `/citizen/shelters`, the shelter search (X-03). */
export function sheltersHref(channelId: string | null): string {
  const query = channelId ? `?${new URLSearchParams({ ch: channelId })}` : '';
  return `${BASE}shelters${query}`;
}

/**
 * `/citizen/bookings` (the calendars and 予約の確認・取消), or `/citizen/bookings/<id>` with a calendar
 * (V-01 … V-06).
 */
export function bookingsHref(channelId: string | null, calendarId: string | null = null): string {
  const query = channelId ? `?${new URLSearchParams({ ch: channelId })}` : '';
  return `${BASE}bookings${calendarId ? `/${encodeURIComponent(calendarId)}` : ''}${query}`;
}

/**
 * The home page (the LIFF endpoint), optionally with the desk to offer or the page to forward to
 * (and that page's `id`, e.g. the survey's).
 */
export function homeHref(
  channelId: string | null,
  desk: string | null = null,
  page: string | null = null,
  id: string | null = null,
): string {
  const query = new URLSearchParams();
  if (channelId) query.set('ch', channelId);
  if (desk) query.set('desk', desk);
  if (page) query.set('page', page);
  if (id) query.set('id', id);
  const text = query.toString();
  return text ? `${BASE}?${text}` : BASE;
}

/**
 * Where the home page forwards the user it was opened for, once signed in: the chat of `desk=`, the
 * registration of `page=register`, the survey of `page=survey&id=<uuid>`, the booking calendars of
 * `page=booking` (one calendar with `&id=<uuid>`), the fault report page of `page=report`. A rich
 * menu's `liff` action names its page as in LIFF_PAGES (`bookings`, `reports`, `shelters`; M-01): those
 * are forwarded too. null: stay home (`home`, and `surveys`, whose list is the home page).
 */
export function forwardHref(route: Route): string | null {
  if (route.name !== 'home') return null;
  if (route.desk !== null) return consultHref(route.desk, route.channelId);
  if (route.page === 'register') return registerHref(route.channelId);
  if (route.page === 'survey' && route.id !== null) return surveyHref(route.id, route.channelId);
  if (route.page === 'booking') return bookingsHref(route.channelId, route.id);
  if (route.page === 'bookings') return bookingsHref(route.channelId);
  if (route.page === 'report' || route.page === 'reports') return reportHref(route.channelId);
  if (route.page === 'shelters') return sheltersHref(route.channelId);
  if (route.page === 'applications') return applicationsHref(route.channelId);
  if (route.page === 'procedure') return applicationsHref(route.channelId, route.id);
  if (route.page === 'application' && route.id !== null) return applicationHref(route.id, route.channelId);
  return null;
}

/**
 * Where LINE Login should bring the user back. LIFF accepts only URLs that begin with the endpoint URL
 * (`/citizen/?ch=…`), so a chat page returns through the home page with `desk=`, which forwards to
 * the chat after sign-in.
 */
export function liffReturnUrl(): string {
  const route = parseRoute(window.location.pathname, window.location.search);
  if (route.name === 'consult')
    return new URL(homeHref(route.channelId, route.slug), window.location.origin).href;
  if (route.name === 'register')
    return new URL(homeHref(route.channelId, null, 'register'), window.location.origin).href;
  if (route.name === 'survey')
    return new URL(homeHref(route.channelId, null, 'survey', route.surveyId), window.location.origin).href;
  if (route.name === 'bookings' || route.name === 'booking')
    return new URL(
      homeHref(route.channelId, null, 'booking', route.name === 'booking' ? route.calendarId : null),
      window.location.origin,
    ).href;
  if (route.name === 'report')
    return new URL(homeHref(route.channelId, null, 'report'), window.location.origin).href;
  if (route.name === 'applications')
    return new URL(
      homeHref(route.channelId, null, route.procedureId ? 'procedure' : 'applications', route.procedureId),
      window.location.origin,
    ).href;
  if (route.name === 'application')
    return new URL(
      homeHref(route.channelId, null, 'application', route.applicationId),
      window.location.origin,
    ).href;
  const url = new URL(window.location.href);
  url.hash = '';
  return url.href;
}

const CHANGE = 'madoguchi:navigate';
let landing = true;

/** True until the first in-app navigation: the page the user arrived on. */
export function isLandingPage(): boolean {
  return landing;
}

/** Goes to `href` (same origin) without reloading the page. */
export function navigate(href: string, options: { replace?: boolean } = {}): void {
  landing = false;
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  window.dispatchEvent(new Event(CHANGE));
  if (!options.replace) window.scrollTo(0, 0);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

let cached: { key: string; route: Route } | null = null;

function currentRoute(): Route {
  const { pathname, search } = window.location;
  const key = `${pathname}?${search}`;
  if (cached?.key !== key) cached = { key, route: parseRoute(pathname, search) };
  return cached.route;
}

/** The current route; re-renders on navigate() and on the browser's back/forward. */
export function useRoute(): Route {
  return useSyncExternalStore(subscribe, currentRoute);
}
