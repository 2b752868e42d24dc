import { afterEach, describe, expect, it, vi } from 'vitest';
import { afterNextPaint } from './after-paint';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('afterNextPaint', () => {
  it('resolves in a task after the next frame, one promise for the callers of a frame', async () => {
    const frames: FrameRequestCallback[] = [];
    vi.useFakeTimers();
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => frames.push(cb));
    const order: string[] = [];
    const first = afterNextPaint().then(() => order.push('first'));
    const second = afterNextPaint().then(() => order.push('second'));
    expect(frames).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(10);
    expect(order).toEqual([]);
    frames[0]!(performance.now());
    // Not in the frame's own callback: in the task after it.
    await Promise.resolve();
    expect(order).toEqual([]);
    await vi.advanceTimersByTimeAsync(0);
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);

    // The next caller waits for the next frame.
    const third = afterNextPaint();
    expect(frames).toHaveLength(2);
    frames[1]!(performance.now());
    await vi.advanceTimersByTimeAsync(0);
    await third;
  });

  it('does not wait for ever in a tab that paints no frames', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('requestAnimationFrame', () => 0);
    let done = false;
    void afterNextPaint().then(() => (done = true));
    await vi.advanceTimersByTimeAsync(99);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
  });
});
