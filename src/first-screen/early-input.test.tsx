// Tests that what a user does to the gateway's markup before the app owns it is carried over to the app: clicks,
// typed text, a submitted search, a ticked box and the focus, found again in the app's markup.
import { act, useState } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, hydrateRoot, type Root } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { recordEarlyInput, replayEarlyInput, takeEarlyInput } from './early-input';

interface Handlers {
  onAction?: (what: string) => void;
  onSearch?: (text: string) => void;
}

function Page({ onAction = () => {}, onSearch = () => {} }: Handlers) {
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState(false);
  return (
    <div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSearch(query);
        }}
      >
        <input aria-label="Query" value={query} onChange={(e) => setQuery(e.target.value)} />
      </form>
      <button type="button" data-test-subj="filter" onClick={() => onAction('first filter')}>
        State
      </button>
      <button type="button" data-test-subj="filter" onClick={() => onAction('second filter')}>
        Function
      </button>
      <label>
        <input type="checkbox" checked={selected} onChange={(e) => setSelected(e.target.checked)} />
        Select the task
      </label>
      <a href="#task">A task</a>
      <span data-test-subj="selected">{String(selected)}</span>
    </div>
  );
}

let root: Root | undefined;

/** Whether the document is still being parsed, as it is while early-recorder.ts runs in a browser. */
function parsing(yes: boolean) {
  Object.defineProperty(document, 'readyState', { value: yes ? 'loading' : 'complete', configurable: true });
}

/** The gateway's markup in #root, recorded over as early-recorder.ts does. */
function serverPage(): HTMLElement {
  document.body.innerHTML = `<div id="root">${renderToString(<Page />)}</div>`;
  parsing(true);
  recordEarlyInput(document, 'root');
  return document.getElementById('root')!;
}

/** The app takes the markup over, as main.tsx does. */
function takeOver(container: HTMLElement, handlers: Handlers) {
  const early = takeEarlyInput(document, container);
  root = createRoot(container);
  flushSync(() => root!.render(<Page {...handlers} />));
  replayEarlyInput(container, early, flushSync);
}

/**
 * The app adopts the markup instead (main.tsx, when the gateway rendered this very page): the elements stay, what
 * was typed and ticked stays on screen, and the app's state must still learn it.
 */
async function hydrate(container: HTMLElement, handlers: Handlers) {
  const early = takeEarlyInput(document, container);
  await act(async () => {
    root = hydrateRoot(container, <Page {...handlers} />, { onRecoverableError: (e) => fail(e) });
  });
  replayEarlyInput(container, early, flushSync);
}

function fail(e: unknown): never {
  throw new Error(`the markup did not hydrate: ${String(e)}`);
}

const click = (el: Element) => {
  const event = new MouseEvent('click', { bubbles: true, cancelable: true });
  el.dispatchEvent(event);
  return event;
};

afterEach(() => {
  root?.unmount();
  root = undefined;
  delete window.__mlEarlyInput;
  delete (document as { readyState?: unknown }).readyState;
  document.body.innerHTML = '';
});

describe('early input', () => {
  it('replays a click on the element it landed on, found again among elements named alike', () => {
    const container = serverPage();
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    container.querySelectorAll('button')[1]!.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    const onAction = vi.fn();
    takeOver(container, { onAction });
    expect(onAction.mock.calls).toEqual([['second filter']]);
  });

  it('carries typed text, its caret and the focus, and submits a search sent before the take-over', () => {
    const container = serverPage();
    const input = container.querySelector('input')!;
    input.focus();
    input.value = 'state:FAILED';
    input.setSelectionRange(5, 5);
    const submit = new Event('submit', { bubbles: true, cancelable: true });
    input.form!.dispatchEvent(submit);
    expect(submit.defaultPrevented).toBe(true); // no native submission, which would leave the page
    const onSearch = vi.fn();
    takeOver(container, { onSearch });
    const taken = container.querySelector('input')!;
    expect(taken).not.toBe(input);
    expect(taken.value).toBe('state:FAILED');
    expect(document.activeElement).toBe(taken);
    expect(taken.selectionStart).toBe(5);
    expect(onSearch.mock.calls).toEqual([['state:FAILED']]);
  });

  it('carries a ticked box into the app state, and leaves links and labels alone', () => {
    const container = serverPage();
    const link = new MouseEvent('click', { bubbles: true, cancelable: true });
    container.querySelector('a')!.dispatchEvent(link);
    expect(link.defaultPrevented).toBe(false);
    container.querySelector<HTMLInputElement>('input[type="checkbox"]')!.click();
    takeOver(container, {});
    expect(container.querySelector<HTMLInputElement>('input[type="checkbox"]')!.checked).toBe(true);
    expect(container.querySelector('[data-test-subj="selected"]')!.textContent).toBe('true');
  });

  it('submits what was in the field then, and leaves what was typed since as the draft', () => {
    const container = serverPage();
    const input = container.querySelector('input')!;
    input.focus();
    input.value = 'state:FAILED';
    input.form!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    input.value = 'state:FAILED function:';
    const onSearch = vi.fn();
    takeOver(container, { onSearch });
    expect(onSearch.mock.calls).toEqual([['state:FAILED']]);
    expect(container.querySelector('input')!.value).toBe('state:FAILED function:');
  });

  it('replays nothing where the app has another number of elements named alike', () => {
    const container = serverPage();
    click(container.querySelectorAll('button')[1]!);
    const extra = document.createElement('button');
    extra.setAttribute('data-test-subj', 'filter');
    const onAction = vi.fn();
    const early = takeEarlyInput(document, container);
    root = createRoot(container);
    flushSync(() => root!.render(<Page onAction={onAction} />));
    container.firstElementChild!.append(extra);
    replayEarlyInput(container, early, flushSync);
    expect(onAction).not.toHaveBeenCalled();
  });

  it('stops holding clicks when the document is parsed and the app has not taken over: it failed', () => {
    const container = serverPage();
    expect(click(container.querySelector('button')!).defaultPrevented).toBe(true);
    parsing(false);
    document.dispatchEvent(new Event('DOMContentLoaded'));
    expect(click(container.querySelector('button')!).defaultPrevented).toBe(false);
    expect(window.__mlEarlyInput).toBeNull();
    // And a recorder that runs after parsing does not start.
    delete window.__mlEarlyInput;
    recordEarlyInput(document, 'root');
    expect(window.__mlEarlyInput).toBeUndefined();
  });

  it('records nothing once the app has taken over, and nothing when the app came first', () => {
    const container = serverPage();
    const onAction = vi.fn();
    takeOver(container, { onAction });
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    container.querySelector('button')!.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(false);
    expect(onAction).toHaveBeenCalledTimes(1); // the app's own handler, once
    // A late recorder does not start recording again.
    recordEarlyInput(document, 'root');
    expect(window.__mlEarlyInput).toBeNull();
  });

  describe('when the app hydrates the markup it was typed into', () => {
    it('replays a click on the very element it landed on', async () => {
      const container = serverPage();
      const button = container.querySelectorAll('button')[1]!;
      expect(click(button).defaultPrevented).toBe(true);
      const onAction = vi.fn();
      await hydrate(container, { onAction });
      expect(container.querySelectorAll('button')[1]).toBe(button);
      expect(onAction.mock.calls).toEqual([['second filter']]);
    });

    it('teaches the app the text that stayed on screen, and submits the search sent before', async () => {
      const container = serverPage();
      const input = container.querySelector('input')!;
      input.focus();
      input.value = 'state:FAILED';
      input.form!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
      const onSearch = vi.fn();
      await hydrate(container, { onSearch });
      expect(onSearch.mock.calls).toEqual([['state:FAILED']]);
      expect(document.activeElement).toBe(input);
    });

    it('teaches the app text typed and not sent: a search sends it, and a re-render keeps it', async () => {
      const container = serverPage();
      const input = container.querySelector('input')!;
      input.value = 'function:REMOTE';
      const onSearch = vi.fn();
      await hydrate(container, { onSearch });
      act(() => input.form!.requestSubmit());
      expect(onSearch.mock.calls).toEqual([['function:REMOTE']]);
      expect(input.value).toBe('function:REMOTE');
    });

    it('teaches the app a box that stayed ticked', async () => {
      const container = serverPage();
      const box = container.querySelector<HTMLInputElement>('input[type="checkbox"]')!;
      box.click();
      await hydrate(container, {});
      expect(box.checked).toBe(true);
      expect(container.querySelector('[data-test-subj="selected"]')!.textContent).toBe('true');
    });
  });
});
