// The router shows a new location at once and writes its history entry once that frame is painted.
import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { afterNextPaint } from './after-paint';
import { currentLocation, navigate, useLocation } from './router';

function Where() {
  const { pathname, search } = useLocation();
  return <p data-test-subj="where">{pathname + search}</p>;
}

const historyHref = () => window.location.pathname + window.location.search;
const shown = () => screen.getByTestId('where').textContent;

beforeEach(() => {
  window.history.replaceState(null, '', '/start');
  render(<Where />);
});

afterEach(async () => {
  // No step of one test is left to be written in the next.
  await act(() => afterNextPaint());
});

describe('navigate', () => {
  it('shows the location at once and writes the history entry after the frame', async () => {
    const length = window.history.length;
    act(() => navigate('/?q=state:FAILED'));
    expect(shown()).toBe('/?q=state:FAILED');
    expect(currentLocation()).toEqual({ pathname: '/', search: '?q=state:FAILED' });
    expect(historyHref()).toBe('/start');

    await act(() => afterNextPaint());
    expect(historyHref()).toBe('/?q=state:FAILED');
    expect(window.history.length).toBe(length + 1);
  });

  it('writes every step of one frame in order, a replace as a replace', async () => {
    const length = window.history.length;
    act(() => {
      navigate('/a');
      navigate('/b', { replace: true });
      navigate('/c');
    });
    expect(shown()).toBe('/c');
    await act(() => afterNextPaint());
    expect(historyHref()).toBe('/c');
    // /a pushed, /b replaced it, /c pushed.
    expect(window.history.length).toBe(length + 2);
  });

  it('does nothing for the location it already shows', async () => {
    const length = window.history.length;
    act(() => navigate('/start'));
    await act(() => afterNextPaint());
    expect(window.history.length).toBe(length);
  });

  it('gives way to the history when it moved before the step was written', async () => {
    act(() => navigate('/mine'));
    // Other code (or Back) moves the history first: the history's location is what the app shows.
    window.history.replaceState(null, '', '/theirs');
    expect(currentLocation().pathname).toBe('/theirs');
    await act(() => afterNextPaint());
    expect(historyHref()).toBe('/theirs');
  });

  it('drops a step not written yet on Back', async () => {
    act(() => navigate('/later'));
    act(() => {
      window.dispatchEvent(new PopStateEvent('popstate'));
    });
    expect(shown()).toBe('/start');
    await act(() => afterNextPaint());
    expect(historyHref()).toBe('/start');
  });
});
