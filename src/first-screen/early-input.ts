// What the user does to the gateway's first screen before the app owns it. The server's markup is on screen about
// half a second before the app's code has loaded; until then its buttons do nothing and its forms would submit
// natively. early-recorder.ts, which the parser runs first, records clicks and submits in that time (preventing their default),
// each with the fields' values at that moment; main.tsx replays them on the app's markup right after its first
// render, then sets the fields' last values and the focus. The two markups are the same, so an element is found
// again by what names it and its place among elements named alike.

/**
 * An element, by its tag, what names it, and its place among the root's elements with both (and how many there
 * were: where the app's markup has another number of them, the place may point elsewhere, and nothing is replayed).
 */
interface ElementKey {
  tag: string;
  name: string;
  index: number;
  of: number;
}

/** A field the user changed: its text or choice, or whether it is ticked. */
interface FieldValue {
  key: ElementKey;
  value?: string;
  checked?: boolean;
}

/** A click on a control, or a form submitted from one of its fields, with the fields as they were then. */
interface EarlyAction {
  kind: 'click' | 'submit';
  key: ElementKey;
  fields: FieldValue[];
}

/** Everything to carry over to the app's markup. */
export interface EarlyInput {
  actions: EarlyAction[];
  /** The fields as the user left them. */
  fields: FieldValue[];
  focus?: { key: ElementKey; selectionStart: number | null; selectionEnd: number | null };
}

interface Recorder {
  actions: EarlyAction[];
  stop(): void;
}

declare global {
  interface Window {
    /** Unset: nothing yet; null: the app has taken its markup over (or failed to), too late to record. */
    __mlEarlyInput?: Recorder | null;
  }
}

/** Controls whose click the app handles; links, labels and form fields keep their native behaviour. */
const ACTIONABLE = 'button, [role="button"], [role="switch"], [role="tab"], [role="option"]';
const FIELDS = 'input, select, textarea';

/** What names an element the same way in both markups: never its id, which EUI draws at random. */
function nameOf(el: Element): string | undefined {
  const labels = (el as HTMLInputElement).labels;
  const name =
    el.getAttribute('data-test-subj') ??
    el.getAttribute('aria-label') ??
    el.getAttribute('name') ??
    (labels?.length ? labels[0]!.textContent : el.textContent)?.trim().slice(0, 60);
  return name || undefined;
}

function keyOf(root: Element, el: Element): ElementKey | undefined {
  const name = nameOf(el);
  if (name === undefined || !root.contains(el)) return undefined;
  const tag = el.tagName.toLowerCase();
  const alike = Array.from(root.querySelectorAll(tag)).filter((e) => nameOf(e) === name);
  return { tag, name, index: alike.indexOf(el), of: alike.length };
}

function find(root: Element, key: ElementKey): HTMLElement | undefined {
  const alike = Array.from(root.querySelectorAll<HTMLElement>(key.tag)).filter((e) => nameOf(e) === key.name);
  return alike.length === key.of ? alike[key.index] : undefined;
}

const sameKey = (a: ElementKey, b: ElementKey) => a.tag === b.tag && a.name === b.name && a.index === b.index;

function valueOf(field: Element): Omit<FieldValue, 'key'> | undefined {
  if (field instanceof HTMLInputElement && (field.type === 'checkbox' || field.type === 'radio')) {
    return { checked: field.checked };
  }
  if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement)
    return { value: field.value };
  if (field instanceof HTMLSelectElement) return { value: field.value };
  return undefined;
}

function isChanged(field: Element): boolean {
  if (field instanceof HTMLInputElement && (field.type === 'checkbox' || field.type === 'radio')) {
    return field.checked !== field.defaultChecked;
  }
  if (field instanceof HTMLSelectElement) {
    return Array.from(field.options).some((o) => o.selected !== o.defaultSelected);
  }
  return (field as HTMLInputElement).value !== (field as HTMLInputElement).defaultValue;
}

/** The fields the user changed from the markup's values, and those in `also` (changed earlier, maybe back). */
function fieldValues(root: Element, also: FieldValue[] = []): FieldValue[] {
  const out: FieldValue[] = [];
  for (const field of Array.from(root.querySelectorAll(FIELDS))) {
    if (also.length === 0 && !isChanged(field)) continue;
    const key = keyOf(root, field);
    const value = valueOf(field);
    if (!key || !value) continue;
    if (isChanged(field) || also.some((f) => sameKey(f.key, key))) out.push({ key, ...value });
  }
  return out;
}

/**
 * Whether DOMContentLoaded has fired. The deferred scripts (the app's) run between the end of parsing
 * ("interactive") and that event, so only the navigation's timing tells whether they have run.
 */
function contentLoaded(doc: Document): boolean {
  if (doc.readyState !== 'interactive') return doc.readyState === 'complete';
  const [navigation] = doc.defaultView?.performance.getEntriesByType?.('navigation') ?? [];
  return ((navigation as PerformanceNavigationTiming | undefined)?.domContentLoadedEventStart ?? 0) > 0;
}

/**
 * Starts recording, for a page whose #root (`rootId`) holds, or is about to hold, the gateway's markup: this may run
 * before the body is parsed. Does nothing once the app has taken over, or once DOMContentLoaded has fired: the app's
 * code (a deferred module) has run by then, and if it has not taken over, it failed, and holding clicks would only
 * make the page's controls dead for good.
 */
export function recordEarlyInput(doc: Document, rootId: string): void {
  const win = doc.defaultView;
  if (!win || win.__mlEarlyInput !== undefined || contentLoaded(doc)) return;
  const actions: EarlyAction[] = [];
  const onClick = (event: MouseEvent) => {
    const root = doc.getElementById(rootId);
    const target = event.target instanceof Element ? event.target : null;
    if (!root || !target || target.closest('a[href], label') || target.closest(FIELDS)) return;
    const control = target.closest(ACTIONABLE);
    const key = control && keyOf(root, control);
    if (!key) return;
    event.preventDefault();
    actions.push({ kind: 'click', key, fields: fieldValues(root) });
  };
  const onSubmit = (event: SubmitEvent) => {
    const root = doc.getElementById(rootId);
    const form = event.target instanceof HTMLFormElement ? event.target : null;
    if (!root || !form || !root.contains(form)) return;
    // A native submission would leave the page; the app submits it instead, from the field that was in use.
    event.preventDefault();
    const active = doc.activeElement;
    const field = active && form.contains(active) ? active : form.querySelector(FIELDS);
    const key = field && keyOf(root, field);
    if (key) actions.push({ kind: 'submit', key, fields: fieldValues(root) });
  };
  const recorder: Recorder = {
    actions,
    stop() {
      doc.removeEventListener('click', onClick, true);
      doc.removeEventListener('submit', onSubmit, true);
      doc.removeEventListener('DOMContentLoaded', stopUnclaimed);
    },
  };
  const stopUnclaimed = () => {
    if (win.__mlEarlyInput !== recorder) return;
    recorder.stop();
    win.__mlEarlyInput = null;
  };
  doc.addEventListener('click', onClick, true);
  doc.addEventListener('submit', onSubmit, true);
  doc.addEventListener('DOMContentLoaded', stopUnclaimed);
  win.__mlEarlyInput = recorder;
}

/**
 * Stops recording and reads what to carry over from the gateway's markup, before the app replaces it. From now on
 * a late recorder records nothing.
 */
export function takeEarlyInput(doc: Document, root: Element): EarlyInput {
  const win = doc.defaultView;
  const recorder = win?.__mlEarlyInput;
  recorder?.stop();
  if (win) win.__mlEarlyInput = null;
  const actions = recorder?.actions ?? [];
  const active = doc.activeElement;
  const focusKey = active && active !== doc.body ? keyOf(root, active) : undefined;
  const selection =
    active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement
      ? { selectionStart: safe(() => active.selectionStart), selectionEnd: safe(() => active.selectionEnd) }
      : { selectionStart: null, selectionEnd: null };
  return {
    actions,
    fields: fieldValues(
      root,
      actions.flatMap((a) => a.fields),
    ),
    ...(focusKey ? { focus: { key: focusKey, ...selection } } : {}),
  };
}

/** Some input types (number, email) throw on selection access. */
function safe(read: () => number | null): number | null {
  try {
    return read();
  } catch {
    return null;
  }
}

/**
 * Sets a field the way typing or ticking would, so React's change handlers see it. A field may already show the
 * value: hydration keeps what the user typed into the markup while the app's state still holds the markup's own.
 * Writing through the element's own property first (React watches it to tell changes) makes the step a change.
 */
function setField(root: Element, { key, value, checked }: FieldValue): void {
  const field = find(root, key);
  if (!field) return;
  if (checked !== undefined) {
    if (!(field instanceof HTMLInputElement)) return;
    if (field.checked === checked) field.checked = !checked;
    field.click();
    return;
  }
  const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(field) as object, 'value')?.set;
  if (value === undefined || !setter) return;
  if (field instanceof HTMLSelectElement) {
    setter.call(field, value);
    field.dispatchEvent(new Event('change', { bubbles: true }));
    return;
  }
  const input = field as HTMLInputElement;
  if (input.value === value) input.value = `${value} `;
  setter.call(field, value);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * Replays what was carried over on the app's markup: each click or submit with the fields as they were then, the
 * fields as the user left them, then the focus. `step` runs each step; the app passes React's `flushSync`, so each
 * step's updates are on screen before the next one looks for its element.
 */
export function replayEarlyInput(
  root: Element,
  input: EarlyInput,
  step: (run: () => void) => void = (run) => run(),
): void {
  for (const action of input.actions) {
    step(() => action.fields.forEach((f) => setField(root, f)));
    step(() => {
      const el = find(root, action.key);
      if (action.kind === 'click') el?.click();
      else (el as HTMLInputElement | undefined)?.form?.requestSubmit();
    });
  }
  step(() => input.fields.forEach((f) => setField(root, f)));
  if (!input.focus) return;
  const el = find(root, input.focus.key);
  if (!el) return;
  el.focus();
  const { selectionStart, selectionEnd } = input.focus;
  if ((el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) && selectionStart !== null) {
    safe(() => {
      el.setSelectionRange(selectionStart, selectionEnd ?? selectionStart);
      return null;
    });
  }
}
