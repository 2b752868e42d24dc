// OpenSearch-shaped errors: the stand-in throws these and the HTTP layer renders them byte for byte like a cluster.

import { TASK_INDEX } from '../../shared/ml-types';

export interface ErrorCause {
  type: string;
  reason: string;
  [detail: string]: unknown;
}

/** An error rendered as OpenSearch's structured body `{error:{root_cause,type,reason,caused_by?},status}`. */
export class OpenSearchError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly reason: string,
    readonly details: Record<string, unknown> = {},
    readonly causedBy?: OpenSearchError,
    readonly rootCauses?: ErrorCause[],
  ) {
    super(reason);
  }

  private cause_(): ErrorCause {
    const own: ErrorCause = { type: this.type, reason: this.reason, ...this.details };
    if (this.causedBy) own.caused_by = this.causedBy.cause_();
    return own;
  }

  /** The innermost causes, which OpenSearch lists first as `root_cause`. */
  private roots(): ErrorCause[] {
    if (this.rootCauses) return this.rootCauses;
    if (this.causedBy) return this.causedBy.roots();
    return [{ type: this.type, reason: this.reason, ...this.details }];
  }

  toBody(): { error: Record<string, unknown>; status: number } {
    const own = this.cause_();
    return { error: { root_cause: this.roots(), ...own }, status: this.status };
  }
}

/** An error whose body is not the structured form: `{error:"…",status}`, plain text, or the no-handler body. */
export class PlainHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'string' ? body : JSON.stringify(body));
  }
}

export function parsingException(reason: string, loc?: { line: number; col: number }): OpenSearchError {
  return new OpenSearchError(400, 'parsing_exception', reason, loc ? { line: loc.line, col: loc.col } : {});
}

export function illegalArgument(reason: string): OpenSearchError {
  return new OpenSearchError(400, 'illegal_argument_exception', reason);
}

/** A feature OpenSearch has but the stand-in does not: say so plainly instead of pretending. */
export function notSupportedByStandin(what: string): OpenSearchError {
  return illegalArgument(`the stand-in does not support ${what}; a real OpenSearch cluster does`);
}

/**
 * Failures found while executing on the shard (bad dates, sorting on a text field, the result window)
 * reach the client wrapped in "all shards failed", with the shard failure's own status.
 */
export function shardFailure(cause: OpenSearchError, index = TASK_INDEX): OpenSearchError {
  const reason = { type: cause.type, reason: cause.reason, ...cause.details };
  return new OpenSearchError(
    cause.status,
    'search_phase_execution_exception',
    'all shards failed',
    {
      phase: 'query',
      grouped: true,
      failed_shards: [{ shard: 0, index, node: 'standin-node-0', reason }],
    },
    cause,
  );
}

export function textFieldNotAggregatable(field: string): OpenSearchError {
  return illegalArgument(
    `Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`,
  );
}
