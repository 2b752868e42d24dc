// Setup for the jsdom tests: jest-dom matchers, cleanup between tests, and the browser APIs EUI expects but jsdom lacks.
import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// EUI and this app mark elements with `data-test-subj`, so `*ByTestId` queries read that attribute. `findBy*` and
// `waitFor` wait for their condition up to 10 s, not 1 s: the drawer and dialogs load lazily, and a module's first
// load (transformed on demand) takes seconds on a busy machine. A test that waits for nothing still fails at once.
configure({ testIdAttribute: 'data-test-subj', asyncUtilTimeout: 10_000 });

afterEach(() => {
  cleanup();
});

if (!window.matchMedia) {
  Object.defineProperty(window, 'matchMedia', {
    writable: true,
    configurable: true,
    value: (query: string): MediaQueryList => ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }),
  });
}

if (!('ResizeObserver' in window)) {
  class ResizeObserverStub implements ResizeObserver {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  }
  Object.defineProperty(window, 'ResizeObserver', {
    writable: true,
    configurable: true,
    value: ResizeObserverStub,
  });
  Object.defineProperty(globalThis, 'ResizeObserver', {
    writable: true,
    configurable: true,
    value: ResizeObserverStub,
  });
}

// jsdom logs "Not implemented: window.scrollTo" when EUI's focus management scrolls.
window.scrollTo = () => {};
