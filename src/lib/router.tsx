// A small history-API router: the location as React state, navigation, and links that behave like links.
// The console has two routes and keeps its view state in the query string; a router library would add weight
// without adding anything it needs.
import { useSyncExternalStore, type MouseEvent, type ReactNode } from 'react';
import { EuiLink } from '@elastic/eui';
import { afterNextPaint } from './after-paint';
import { useServerRequest } from './server-request';

const NAVIGATE_EVENT = 'console:navigate';

const historyHref = (): string => window.location.pathname + window.location.search;

/**
 * The app's location while it is ahead of the history: navigate() shows the new location at once and writes its
 * history entry once the frame that shows it is painted (after-paint.ts). `from`: the history's location then; when
 * the history has moved meanwhile (Back, a write by other code), the history wins and the steps are dropped.
 */
let ahead: { shown: string; from: string; steps: Array<{ to: string; replace: boolean }> } | undefined;

function snapshot(): string {
  if (ahead && historyHref() !== ahead.from) ahead = undefined;
  return ahead?.shown ?? historyHref();
}

function writeHistory(): void {
  const steps = ahead && historyHref() === ahead.from ? ahead.steps : [];
  ahead = undefined;
  for (const { to, replace } of steps) {
    if (replace) window.history.replaceState(null, '', to);
    else window.history.pushState(null, '', to);
  }
}

if (typeof window !== 'undefined') {
  // Back or Forward moves from the entry the history holds: a step not written yet is dropped. Registered before any
  // component subscribes, so the components read the history's location.
  window.addEventListener('popstate', () => {
    ahead = undefined;
  });
  // Leaving the page (a reload, a link out) takes the shown location with it.
  window.addEventListener('pagehide', writeHistory);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

/** The location the app shows now, for code outside a render (an event handler). */
export function currentLocation(): AppLocation {
  return splitHref(snapshot());
}

export interface AppLocation {
  pathname: string;
  search: string;
}

/** The current path and query string; re-renders on navigation and on back/forward. */
export function useLocation(): AppLocation {
  // On the server there is no window.location: the request's URL stands in for it.
  const serverHref = useServerRequest()?.href;
  const href = useSyncExternalStore(subscribe, snapshot, () => serverHref ?? snapshot());
  return splitHref(href);
}

/**
 * One part of the location, as a string: the component re-renders only when that part changes (a page whose filters
 * live in the query string re-renders on every filter; its route, which needs only the path, does not).
 */
export function useLocationPart(select: (location: AppLocation) => string): string {
  const serverHref = useServerRequest()?.href;
  return useSyncExternalStore(
    subscribe,
    () => select(splitHref(snapshot())),
    () => select(splitHref(serverHref ?? snapshot())),
  );
}

/** The current path, without the query string: re-renders only when it changes. */
export function usePathname(): string {
  return useLocationPart(pathnameOf);
}

const pathnameOf = (location: AppLocation): string => location.pathname;

function splitHref(href: string): AppLocation {
  const q = href.indexOf('?');
  return q === -1 ? { pathname: href, search: '' } : { pathname: href.slice(0, q), search: href.slice(q) };
}

/**
 * Goes to a same-origin path; `replace` keeps the history entry (for state that is not a step of its own). The app
 * shows it at once; the address bar follows a frame later.
 */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  const step = { to, replace: options.replace === true };
  if (ahead) {
    ahead.shown = to;
    ahead.steps.push(step);
  } else {
    ahead = { shown: to, from: historyHref(), steps: [step] };
    void afterNextPaint().then(writeHistory);
  }
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

function isPlainLeftClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

export interface AppLinkProps {
  to: string;
  children: ReactNode;
  'data-test-subj'?: string;
  'aria-label'?: string;
}

/** An EUI link with a real href (so it can be opened in a new tab) that navigates in place on a plain click. */
export function AppLink({ to, children, ...rest }: AppLinkProps) {
  return (
    <EuiLink
      href={to}
      onClick={(event: MouseEvent) => {
        if (!isPlainLeftClick(event)) return;
        event.preventDefault();
        navigate(to);
      }}
      {...rest}
    >
      {children}
    </EuiLink>
  );
}

/** The path of a model's page. */
export function modelPath(modelId: string): string {
  return `/models/${encodeURIComponent(modelId)}`;
}
