// Keyboard shortcuts of the task view: the list and the hook that listens for them.
import { useEffect, useInsertionEffect, useRef } from 'react';

export const SHORTCUTS: Array<{ keys: string; action: string }> = [
  { keys: '/', action: 'Focus the query bar' },
  { keys: 'j / k', action: 'Next / previous row (in the drawer: next / previous task)' },
  { keys: 'Enter', action: 'Open the task of the current row' },
  { keys: 'Esc', action: 'Close the drawer or a dialog' },
  { keys: 'r', action: 'Refresh now' },
  { keys: '?', action: 'Show these shortcuts' },
];

export type ShortcutHandlers = Partial<Record<'/' | 'j' | 'k' | 'Enter' | 'r' | '?', () => void>>;

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}

/** Global single-key shortcuts; ignored while typing, with a modifier held, or while a dialog has focus. */
export function useKeyboardShortcuts(handlers: ShortcutHandlers, enabled = true): void {
  const ref = useRef(handlers);
  // The newest handlers, in place as soon as the render is committed (a layout effect would do the same, but
  // warns when the page is rendered on the server).
  useInsertionEffect(() => {
    ref.current = handlers;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target))
        return;
      if (event.target instanceof HTMLElement && event.target.closest('[role="dialog"]')) return;
      // Enter on a button or link belongs to that control.
      if (event.key === 'Enter' && event.target instanceof HTMLElement && event.target.closest('button, a'))
        return;
      const handler = ref.current[event.key as keyof ShortcutHandlers];
      if (!handler) return;
      event.preventDefault();
      handler();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}
