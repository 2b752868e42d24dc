// Preferences kept in cookies: read back on the next load (by the browser or, through the context, the server),
// corrupt or foreign values ignored.
import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cookieValue } from '../../shared/cookies';
import { ServerRequestContext } from './server-request';
import { useStoredState } from './use-stored-state';

const isMode = (v: unknown): v is 'light' | 'dark' => v === 'light' || v === 'dark';
const KEY = 'test.colorMode';

afterEach(() => {
  document.cookie = `${KEY}=; Path=/; Max-Age=0`;
});

describe('useStoredState', () => {
  it('starts from the fallback, and remembers a choice in a cookie for the next load', () => {
    const first = renderHook(() => useStoredState(KEY, 'light', isMode));
    expect(first.result.current[0]).toBe('light');
    act(() => first.result.current[1]('dark'));
    expect(first.result.current[0]).toBe('dark');
    expect(cookieValue(document.cookie, KEY)).toBe(encodeURIComponent('"dark"'));

    const next = renderHook(() => useStoredState(KEY, 'light', isMode));
    expect(next.result.current[0]).toBe('dark');
  });

  it('ignores a value it did not write', () => {
    for (const raw of ['%22blue%22', '%7Bbroken', 'dark', '%E0%A4%A']) {
      document.cookie = `${KEY}=${raw}; Path=/`;
      expect(renderHook(() => useStoredState(KEY, 'light', isMode)).result.current[0]).toBe('light');
    }
  });

  it('moves a choice an earlier build kept in localStorage over to its cookie', () => {
    window.localStorage.setItem(KEY, '"dark"');
    expect(renderHook(() => useStoredState(KEY, 'light', isMode)).result.current[0]).toBe('dark');
    expect(window.localStorage.getItem(KEY)).toBeNull();
    expect(cookieValue(document.cookie, KEY)).toBe(encodeURIComponent('"dark"'));
    // A cookie, once there, is what counts.
    window.localStorage.setItem(KEY, '"light"');
    expect(renderHook(() => useStoredState(KEY, 'light', isMode)).result.current[0]).toBe('dark');
    window.localStorage.removeItem(KEY);
  });

  it('reads the request’s cookies when rendered on the server', () => {
    const wrapper = ({ children }: { children: ReactNode }) => (
      <ServerRequestContext.Provider
        value={{ href: '/', cookies: `${KEY}=${encodeURIComponent('"dark"')}`, locale: undefined }}
      >
        {children}
      </ServerRequestContext.Provider>
    );
    expect(renderHook(() => useStoredState(KEY, 'light', isMode), { wrapper }).result.current[0]).toBe(
      'dark',
    );
  });
});
