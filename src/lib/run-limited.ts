// Runs many requests a few at a time: the browser's own limit per host is six, so a page's other reads still get
// through while the counts are sent.

/** Searches sent at once by the slow counting ways (a value or a node at a time). */
export const SEARCH_CONCURRENCY = 4;

/** `run` over every item, at most `limit` at once; the results in the items' order. */
export async function runLimited<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await run(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
