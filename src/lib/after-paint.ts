// Work that completes a view but is not what the user waits for (its secondary searches, the history entry of its
// URL) waits until the frame that shows the view's rows has been painted. On this 2-core machine each such step cost
// 1-14 ms on the path from a filter's answer to its rows: history.pushState 4 ms on average and up to 14 ms, each
// fetch() 1-2 ms (bench/README.md, "filter to rows").

/** A hidden tab paints no frames: past this, the work goes ahead without one. */
const NO_FRAME_MS = 100;

let next: Promise<void> | undefined;

/**
 * Resolves in a task after the next frame has been painted: the callbacks of one frame share it. At once where there
 * are no frames (the server).
 */
export function afterNextPaint(): Promise<void> {
  if (typeof requestAnimationFrame !== 'function') return Promise.resolve();
  next ??= new Promise<void>((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      next = undefined;
      resolve();
    };
    // A frame's requestAnimationFrame callbacks run before its paint; a task queued from one runs after it.
    requestAnimationFrame(() => setTimeout(finish, 0));
    setTimeout(finish, NO_FRAME_MS);
  });
  return next;
}
