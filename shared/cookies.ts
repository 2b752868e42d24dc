// Cookies the browser keeps for the console and the gateway reads back when it renders the first screen.

/**
 * The cookie in which the browser keeps the system's colour mode as it last saw it, for the server, which cannot
 * ask the system.
 */
export const SYSTEM_COLOR_MODE_KEY = 'mlTasksConsole.systemColorMode';

/** The raw value of one cookie in a Cookie header, or `undefined`. */
export function cookieValue(header: string, name: string): string | undefined {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The cookie that remembers whether the tasks page's timeline panel is open (JSON `true` / `false`). */
export const TIMELINE_OPEN_KEY = 'mlTasksConsole.timelineOpen';

/**
 * Whether the timeline panel is open, from a Cookie header (or `document.cookie`): closed unless the user opened it.
 * The view's search carries the timeline's aggregation only then, so the server, the early search and the app must
 * all read it the same way.
 */
export function timelineOpenIn(cookies: string): boolean {
  return cookieValue(cookies, TIMELINE_OPEN_KEY) === 'true';
}
