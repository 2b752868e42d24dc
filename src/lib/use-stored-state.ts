// State remembered in a cookie (column choices, theme): survives reloads, tolerates a corrupt or absent value, and
// reaches the gateway, which renders the first screen the way the user left it.
import { useCallback, useState } from 'react';
import { useServerRequest } from './server-request';

const ONE_YEAR_S = 365 * 24 * 3600;

/** The raw value of one cookie in a Cookie header, or `undefined`. */
export function cookieValue(header: string, name: string): string | undefined {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function read<T>(cookies: string, key: string, fallback: T, isValid: (v: unknown) => v is T): T {
  try {
    const raw = cookieValue(cookies, key);
    if (raw === undefined) return fallback;
    const parsed: unknown = JSON.parse(decodeURIComponent(raw));
    return isValid(parsed) ? parsed : fallback;
  } catch {
    return fallback;
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
    const value: unknown = JSON.parse(old);
    writeCookie(key, value);
    return encodeURIComponent(old);
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
    if (serverCookies !== undefined) return read(serverCookies, key, fallback, isValid);
    if (cookieValue(document.cookie, key) === undefined) {
      const old = migrated(key);
      if (old !== undefined) return read(`${key}=${old}`, key, fallback, isValid);
    }
    return read(document.cookie, key, fallback, isValid);
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
