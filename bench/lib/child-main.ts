// The end of a benchmark child process: tell the parent where it listens, and stop with it, whatever way it ends.

/** Prints the one line the parent waits for: `{"ready":true,...}`. */
export function announceReady(info: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ ready: true, ...info })}\n`);
}

/**
 * Runs `stop` and exits on SIGTERM/SIGINT, and also when stdin closes: the parent holds the other end of the
 * pipe, so a parent killed without a chance to clean up still takes its children with it.
 */
export function stopWithParent(stop: () => Promise<void>): void {
  let stopping = false;
  const exit = (): void => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(0), 3000);
    force.unref();
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', exit);
  process.once('SIGINT', exit);
  process.stdin.on('end', exit);
  process.stdin.on('close', exit);
  process.stdin.resume();
}
