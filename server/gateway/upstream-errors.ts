// Upstream failures in words an operator can act on, and the gateway's JSON for them.

export interface GatewayErrorBody {
  error: { type: string; reason: string };
  status: number;
}

const TLS_REASONS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain ends in a self-signed CA that is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is signed by a CA that is not trusted',
  UNABLE_TO_GET_ISSUER_CERT: 'its certificate is signed by a CA that is not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate is signed by a CA that is not trusted',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is not issued for this host name',
};

/** undici's own codes, as the system's that operators know. */
const UNDICI_CODES: Record<string, string> = {
  // "other side closed": the connection ended without (the rest of) an answer.
  UND_ERR_SOCKET: 'ECONNRESET',
  UND_ERR_CONNECT_TIMEOUT: 'ETIMEDOUT',
};

export function errorCode(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  // undici's parser error for an answer that does not start as HTTP carries no code.
  const fallback = e.name === 'HTTPParserError' ? 'HPE_INVALID_CONSTANT' : 'ERROR';
  const code = e.code ?? (e.message === 'socket hang up' ? 'ECONNRESET' : fallback);
  return UNDICI_CODES[code] ?? code;
}

/** The upstream URL without credentials or a trailing slash, for messages. */
export function displayUrl(url: URL): string {
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** One sentence an operator can act on, for an upstream connection that failed before any answer. */
export function describeUpstreamError(err: unknown, url: URL): string {
  const code = errorCode(err);
  const where = `OpenSearch at ${displayUrl(url)}`;
  const httpsHint =
    url.protocol === 'http:' ? ' If the cluster uses TLS, OPENSEARCH_URL must start with https://.' : '';
  const tls = TLS_REASONS[code];
  if (tls || /CERT|SSL|TLS|EPROTO/.test(code)) {
    const why = tls ?? (err as Error).message;
    return (
      `The TLS connection to ${where} failed: ${why} (${code}). Set OPENSEARCH_CA to the file of the CA ` +
      'that signed the cluster certificate (or, only for a test cluster, OPENSEARCH_TLS_INSECURE=true).'
    );
  }
  switch (code) {
    case 'ECONNREFUSED':
      return `${where} refused the connection (ECONNREFUSED): is it running, and is the port right?`;
    case 'ENOTFOUND':
      return `${where} cannot be reached: the host name ${url.hostname} does not resolve (ENOTFOUND).`;
    case 'EAI_AGAIN':
      return `${where} cannot be reached: looking up ${url.hostname} failed for now (EAI_AGAIN).`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `${where} closed the connection without answering (${code}).${httpsHint}`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ETIMEDOUT':
      return `${where} cannot be reached over the network (${code}).`;
    default:
      if (code.startsWith('HPE_')) {
        return `${where} answered with something that is not HTTP (${code}).${httpsHint}`;
      }
      return `${where} cannot be reached: ${(err as Error).message || code}.`;
  }
}

export function unreachable(reason: string): GatewayErrorBody {
  return { error: { type: 'gateway_upstream_unreachable', reason }, status: 502 };
}

/** The error type of an upstream call that ran out of its time. */
export const UPSTREAM_TIMEOUT = 'gateway_upstream_timeout';

export function tooSlow(url: URL, timeoutMs: number): GatewayErrorBody {
  return {
    error: {
      type: UPSTREAM_TIMEOUT,
      reason: `OpenSearch at ${displayUrl(url)} did not answer within ${timeoutMs} ms (OPENSEARCH_TIMEOUT_MS).`,
    },
    status: 504,
  };
}
