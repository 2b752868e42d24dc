// What the user does to the gateway's first screen before the app owns it. The server's markup is on screen about
// half a second before the app's code has loaded; until then its buttons do nothing and its forms would submit
// natively. first-search.ts, which loads first, records clicks and submits in that time (preventing their default);
// main.tsx carries them over to the app's markup, with the fields' values and the focus, right after its first
// render. The two markups are the same, so an element is found again by what names it and its place among
// elements named alike.

/** An element, by its tag, what names it, and its place among the root's elements with both. */
interface ElementKey {
  tag: string;
  name: string;
  index: number;
}

type EarlyAction = { kind: 'click'; key: ElementKey } | { kind: 'submit'; key: ElementKey };

interface CarriedField {
  key: ElementKey;
  value?: string;
  checked?: boolean;
}

/** Everything to carry over to the app's markup. */
export interface EarlyInput {
  actions: EarlyAction[];
  fields: CarriedField[];
  focus?: { key: ElementKey; selectionStart: number | null; selectionEnd: number | null };
}

interface Recorder {
  actions: EarlyAction[];
  stop(): void;
}

declare global {
  interface Window {
    /** Unset: nothing yet; null: the app has taken its markup over, too late to record. */
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
  return { tag, name, index: alike.indexOf(el) };
}

function find(root: Element, key: ElementKey): HTMLElement | undefined {
  const alike = Array.from(root.querySelectorAll<HTMLElement>(key.tag)).filter((e) => nameOf(e) === key.name);
  return alike[key.index];
}

/**
 * Starts recording, for a page whose #root (`rootId`) holds, or is about to hold, the gateway's markup: this may run
 * before the body is parsed. Does nothing once the app has taken over.
 */
export function recordEarlyInput(doc: Document, rootId: string): void {
  const win = doc.defaultView;
  if (!win || win.__mlEarlyInput !== undefined) return;
  const actions: EarlyAction[] = [];
  const onClick = (event: MouseEvent) => {
    const root = doc.getElementById(rootId);
    const target = event.target instanceof Element ? event.target : null;
    if (!root || !target || target.closest('a[href], label') || target.closest(FIELDS)) return;
    const control = target.closest(ACTIONABLE);
    const key = control && keyOf(root, control);
    if (!key) return;
    event.preventDefault();
    actions.push({ kind: 'click', key });
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
    if (key) actions.push({ kind: 'submit', key });
  };
  doc.addEventListener('click', onClick, true);
  doc.addEventListener('submit', onSubmit, true);
  win.__mlEarlyInput = {
    actions,
    stop() {
      doc.removeEventListener('click', onClick, true);
      doc.removeEventListener('submit', onSubmit, true);
    },
  };
}

function changed(field: Element): Omit<CarriedField, 'key'> | undefined {
  if (field instanceof HTMLInputElement && (field.type === 'checkbox' || field.type === 'radio')) {
    return field.checked === field.defaultChecked ? undefined : { checked: field.checked };
  }
  if (field instanceof HTMLSelectElement) {
    const same = Array.from(field.options).every((o) => o.selected === o.defaultSelected);
    return same ? undefined : { value: field.value };
  }
  if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) {
    return field.value === field.defaultValue ? undefined : { value: field.value };
  }
  return undefined;
}

/**
 * Stops recording and reads what to carry over from the gateway's markup, before the app replaces it. From now on
 * a late first-search.ts records nothing.
 */
export function takeEarlyInput(doc: Document, root: Element): EarlyInput {
  const win = doc.defaultView;
  const recorder = win?.__mlEarlyInput;
  recorder?.stop();
  if (win) win.__mlEarlyInput = null;
  const fields: CarriedField[] = [];
  for (const field of Array.from(root.querySelectorAll(FIELDS))) {
    const value = changed(field);
    const key = value && keyOf(root, field);
    if (key) fields.push({ key, ...value });
  }
  const active = doc.activeElement;
  const focusKey = active && active !== doc.body ? keyOf(root, active) : undefined;
  const selection =
    active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement
      ? { selectionStart: safe(() => active.selectionStart), selectionEnd: safe(() => active.selectionEnd) }
      : { selectionStart: null, selectionEnd: null };
  return {
    actions: recorder?.actions ?? [],
    fields,
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

/** Sets a field the way typing would, so React's change handlers see it. */
function setValue(field: HTMLElement, value: string): void {
  const proto = Object.getPrototypeOf(field) as object;
  const setter = Object.getOwnPropertyDescriptor(proto, 'value')?.set;
  if (!setter) return;
  setter.call(field, value);
  field.dispatchEvent(new Event('input', { bubbles: true }));
  if (field instanceof HTMLSelectElement) field.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Replays what was carried over on the app's markup: the fields' values, then the clicks and submits, then focus. */
export function replayEarlyInput(root: Element, input: EarlyInput): void {
  for (const { key, value, checked } of input.fields) {
    const field = find(root, key);
    if (!field) continue;
    if (checked !== undefined) {
      if (field instanceof HTMLInputElement && field.checked !== checked) field.click();
    } else if (value !== undefined) {
      setValue(field, value);
    }
  }
  for (const action of input.actions) {
    const el = find(root, action.key);
    if (!el) continue;
    if (action.kind === 'click') el.click();
    else (el as HTMLInputElement).form?.requestSubmit();
  }
  if (input.focus) {
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
}
