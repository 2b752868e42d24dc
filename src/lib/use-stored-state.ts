// State remembered in a cookie (column choices, theme): survives reloads, tolerates a corrupt or absent value, and
// reaches the gateway, which renders the first screen the way the user left it.
import { createContext, useCallback, useContext, useState } from 'react';

const ONE_YEAR_S = 365 * 24 * 3600;

/** The request's Cookie header when the app renders on the server; in the browser, document.cookie is read. */
export const ServerCookiesContext = createContext<string | undefined>(undefined);

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

export function useStoredState<T>(
  key: string,
  fallback: T,
  isValid: (v: unknown) => v is T,
): [T, (value: T) => void] {
  const serverCookies = useContext(ServerCookiesContext);
  const [value, setValue] = useState<T>(() => read(serverCookies ?? document.cookie, key, fallback, isValid));
  const store = useCallback(
    (next: T) => {
      setValue(next);
      const secure = window.location.protocol === 'https:' ? '; Secure' : '';
      // Cookies switched off: the choice still holds for this session.
      document.cookie = `${key}=${encodeURIComponent(JSON.stringify(next))}; Path=/; Max-Age=${ONE_YEAR_S}; SameSite=Strict${secure}`;
    },
    [key],
  );
  return [value, store];
}
