// State remembered in a cookie (column choices, theme): survives reloads, tolerates a corrupt or absent value, and
// reaches the gateway, which renders the first screen the way the user left it.
import { useCallback, useState } from 'react';
import { cookieValue } from '../../shared/cookies';
import { useServerRequest } from './server-request';

const ONE_YEAR_S = 365 * 24 * 3600;

/** A stored value from its JSON, or the fallback when there is none or it is not one the console wrote. */
function decode<T>(json: string | undefined, fallback: T, isValid: (v: unknown) => v is T): T {
  if (json === undefined) return fallback;
  try {
    const parsed: unknown = JSON.parse(json);
    return isValid(parsed) ? parsed : fallback;
  } catch {
    return fallback;
  }
}

/** The JSON a Cookie header holds for `key`, or undefined (also for a value that is not percent-encoding). */
function cookieJson(cookies: string, key: string): string | undefined {
  const raw = cookieValue(cookies, key);
  try {
    return raw === undefined ? undefined : decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

function writeCookie(key: string, value: unknown): void {
  const secure = window.location.protocol === 'https:' ? '; Secure' : '';
  // Lax, not Strict: a link to the console from another site must still bring the user's look with it. Cookies
  // switched off: the choice still holds for this session.
  document.cookie = `${key}=${encodeURIComponent(JSON.stringify(value))}; Path=/; Max-Age=${ONE_YEAR_S}; SameSite=Lax${secure}`;
}

/** Earlier builds kept these choices in localStorage: the first read moves one over to its cookie. */
function migrated(key: string): string | undefined {
  try {
    const old = window.localStorage.getItem(key);
    if (old === null) return undefined;
    window.localStorage.removeItem(key);
    writeCookie(key, JSON.parse(old));
    return old;
  } catch {
    return undefined;
  }
}

export function useStoredState<T>(
  key: string,
  fallback: T,
  isValid: (v: unknown) => v is T,
): [T, (value: T) => void] {
  // On the server, the request's Cookie header; in the browser, document.cookie.
  const serverCookies = useServerRequest()?.cookies;
  const [value, setValue] = useState<T>(() => {
    if (serverCookies !== undefined) return decode(cookieJson(serverCookies, key), fallback, isValid);
    const json =
      cookieValue(document.cookie, key) === undefined ? migrated(key) : cookieJson(document.cookie, key);
    return decode(json, fallback, isValid);
  });
  const store = useCallback(
    (next: T) => {
      setValue(next);
      writeCookie(key, next);
    },
    [key],
  );
  return [value, store];
}
