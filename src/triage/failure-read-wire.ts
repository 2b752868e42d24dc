// What the page and the failure-reading worker say to each other, and how an error crosses between them: a structured
// clone keeps an Error's message only, so the console's typed errors travel as their fields and are built again.
import { ApiError, NetworkError } from '../api/http';
import type { FailureGroupsResult } from '../../shared/failure-groups';
import type { FailureScope } from '../../shared/failure-scope';

export type FailureReadRequest =
  { kind: 'read'; id: number; scope: FailureScope } | { kind: 'cancel'; id: number };

export type WireError =
  | { kind: 'api'; init: ConstructorParameters<typeof ApiError>[0] }
  | { kind: 'network'; message: string; where: 'proxy' | 'cluster'; status: number | undefined }
  | { kind: 'abort'; message: string }
  | { kind: 'other'; message: string };

export type FailureReadReply =
  { id: number; ok: true; result: FailureGroupsResult } | { id: number; ok: false; error: WireError };

export function toWire(error: unknown): WireError {
  if (error instanceof ApiError) {
    const { status, type, reason, rootCause, causedBy, body, operation } = error;
    return {
      kind: 'api',
      init: { status, type, reason, rootCause, ...(causedBy ? { causedBy } : {}), body, operation },
    };
  }
  if (error instanceof NetworkError) {
    return { kind: 'network', message: error.message, where: error.where, status: error.status };
  }
  // A DOMException is not an Error everywhere (jsdom): read the name and message of any object that has them.
  const { name, message } = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    message?: unknown;
  };
  if (name === 'AbortError') return { kind: 'abort', message: String(message) };
  if (typeof message === 'string') return { kind: 'other', message };
  return { kind: 'other', message: String(error) };
}

export function fromWire(error: WireError): Error {
  switch (error.kind) {
    case 'api':
      return new ApiError(error.init);
    case 'network':
      return new NetworkError(
        error.message,
        error.where,
        error.status === undefined ? {} : { status: error.status },
      );
    case 'abort':
      return new DOMException(error.message, 'AbortError');
    default:
      return new Error(error.message);
  }
}
