import { type AnchorHTMLAttributes, useSyncExternalStore } from 'react';

/**
 * Minimal hash router: the console lives at /console/ and pages at /console/#/accounts etc.,
 * so the server only has to serve index.html for /console/.
 */

function currentPath(): string {
  const raw = window.location.hash.replace(/^#/, '');
  const path = raw.split('?')[0] ?? '';
  return path.startsWith('/') ? path : `/${path}`;
}

function subscribe(callback: () => void): () => void {
  window.addEventListener('hashchange', callback);
  return () => window.removeEventListener('hashchange', callback);
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath);
}

/** A query parameter of the hash route (`#/manual?q=word` → `word`), '' when absent. */
export function useQueryParam(name: string): string {
  return useSyncExternalStore(subscribe, () => {
    const query = window.location.hash.split('?')[1] ?? '';
    return new URLSearchParams(query).get(name) ?? '';
  });
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const target = `#${path}`;
  if (options.replace) {
    window.history.replaceState(null, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = target;
  }
}

export function href(path: string): string {
  return `#${path}`;
}

/** Matches `/accounts/:id/edit` against a path; returns the params or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const patternParts = pattern.split('/').filter(Boolean);
  const pathParts = path.split('/').filter(Boolean);
  if (patternParts.length !== pathParts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < patternParts.length; i++) {
    const expected = patternParts[i]!;
    const actual = pathParts[i]!;
    if (expected.startsWith(':')) params[expected.slice(1)] = decodeURIComponent(actual);
    else if (expected !== actual) return null;
  }
  return params;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string };

export function Link({ to, ...rest }: LinkProps) {
  return <a href={href(to)} {...rest} />;
}
