// A page's first request, started before the page asks for it: the page takes it over when it asks for the same (a
// task search through `searchTasks`, the failures' reading through the failure-reading worker). Started by
// first-search.ts while the app's code loads, and by main.tsx when the gateway meant to render the page and sent it
// plain after all (its reading failed or was too slow).
import { startEarlySearch } from '../api/ml';
import type { RenderedPageRequest } from '../../shared/first-page';
import { prewarmFailureReader, startEarlyFailureRead } from '../triage/failure-read-client';

export function startEarlyPageRequest(first: RenderedPageRequest): void {
  if (first.page === 'failures') {
    prewarmFailureReader();
    startEarlyFailureRead(first.scope);
  } else {
    startEarlySearch(first.body);
  }
}
