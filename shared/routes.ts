// Which of the console's fixed pages a path is: the app's routes and the scripts that start a page's requests before
// the app has loaded (src/first-screen/first-search.ts) read it alike. Model pages have a path of their own.

export type FixedPage = 'tasks' | 'failures' | 'nodes';

export function fixedPageOf(pathname: string): FixedPage | undefined {
  if (pathname === '/' || pathname === '/index.html') return 'tasks';
  if (pathname === '/failures' || pathname === '/failures/') return 'failures';
  if (pathname === '/nodes' || pathname === '/nodes/') return 'nodes';
  return undefined;
}
