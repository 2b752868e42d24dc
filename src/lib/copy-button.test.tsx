// The table's copy button: copies the text and says so, or says it could not, then offers to copy again.
import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CopyButton } from './copy-button';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** jsdom has no clipboard: stand in for the browser's copy command, recording what was selected. */
function browserCopy(works: boolean): string[] {
  const copied: string[] = [];
  Object.defineProperty(document, 'execCommand', {
    configurable: true,
    value: (command: string) => {
      if (command === 'copy' && works) copied.push(String(window.getSelection()));
      return works;
    },
  });
  return copied;
}

describe('CopyButton', () => {
  it('copies the text, says so for a moment, then offers to copy again', () => {
    vi.useFakeTimers();
    const copied = browserCopy(true);
    render(<CopyButton text="task-<1>" what="task id task-<1>" />);
    fireEvent.click(screen.getByRole('button', { name: 'Copy task id task-<1>' }));
    expect(copied).toEqual(['task-<1>']);
    expect(screen.getByRole('button', { name: 'Copied task id task-<1>' })).toBeInTheDocument();
    act(() => vi.advanceTimersByTime(2000));
    expect(screen.getByRole('button', { name: 'Copy task id task-<1>' })).toBeInTheDocument();
  });

  it('says when the browser refused to copy', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    browserCopy(false);
    render(<CopyButton text="t1" what="task id t1" />);
    fireEvent.click(screen.getByRole('button', { name: 'Copy task id t1' }));
    expect(
      screen.getByRole('button', { name: 'Could not copy task id t1: the browser refused' }),
    ).toBeInTheDocument();
  });
});
