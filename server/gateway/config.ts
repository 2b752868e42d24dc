// The gateway's settings, read from the environment and checked once at start-up.
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ReleaseError, formatRelease, parseSupportedRelease } from '../../shared/ml-releases.ts';

/** A missing or malformed setting; `variable` names the environment variable to fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly variable: string;

  constructor(variable: string, message: string) {
    super(message.includes(variable) ? message : `${variable}: ${message}`);
    this.variable = variable;
  }
}

export interface GatewayConfig {
  host: string;
  port: number;
  opensearchUrl: URL | undefined;
  authorization: string | undefined;
  ca: Buffer | undefined;
  tlsInsecure: boolean;
  readOnly: boolean;
  /** Render the tasks page's first screen into the HTML (on by default). */
  prerender: boolean;
  upstreamTimeoutMs: number;
  distDir: string;
  /** The ML Commons release the embedded stand-in answers as, `X.Y.Z` (unset: the newest). */
  standinVersion?: string;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 5601;
export const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_TIMEOUT_MS = 3_600_000;

/** `<repo>/dist`, where `vite build` writes the console. */
export const DEFAULT_DIST_DIR = fileURLToPath(new URL('../../dist', import.meta.url));

// An empty value counts as unset, as with most tools that read `.env` files.
function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

function describe(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

function parseBoolean(env: NodeJS.ProcessEnv, name: string, fallback = false): boolean {
  const value = read(env, name);
  if (value === undefined) return fallback;
  const v = value.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new ConfigError(name, `${name} must be true or false, not ${describe(value)}`);
}

function parseInteger(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = read(env, name);
  if (value === undefined) return fallback;
  const v = value.trim();
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(
      name,
      `${name} must be a whole number from ${min} to ${max}, not ${describe(value)}`,
    );
  }
  return n;
}

function parseHost(env: NodeJS.ProcessEnv): string {
  const value = read(env, 'HOST');
  if (value === undefined) return DEFAULT_HOST;
  const v = value.trim().replace(/^\[(.*)\]$/, '$1');
  if (!/^[A-Za-z0-9.:%_-]+$/.test(v)) {
    throw new ConfigError(
      'HOST',
      `HOST must be a host name or IP address to listen on, not ${describe(value)}`,
    );
  }
  return v;
}

function parseUrl(env: NodeJS.ProcessEnv): URL | undefined {
  const value = read(env, 'OPENSEARCH_URL');
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ConfigError(
      'OPENSEARCH_URL',
      `OPENSEARCH_URL must be a URL such as https://localhost:9200, not ${describe(value)}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(
      'OPENSEARCH_URL',
      `OPENSEARCH_URL must start with http:// or https://, not ${url.protocol}//`,
    );
  }
  if (url.username || url.password) {
    // Never echo the value: it holds a password.
    throw new ConfigError(
      'OPENSEARCH_URL',
      'OPENSEARCH_URL must not carry credentials: set OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD instead',
    );
  }
  if (url.search || url.hash) {
    throw new ConfigError(
      'OPENSEARCH_URL',
      `OPENSEARCH_URL must not have a query string or fragment: ${describe(value)}`,
    );
  }
  return url;
}

function checkHeaderValue(name: string, value: string, what: string): void {
  // A stray newline (a file read with its line end) would otherwise fail on every request, far from its cause.
  if (/[^\t\x20-\x7e\x80-\xff]/.test(value)) {
    throw new ConfigError(name, `${name} contains a control character (a stray newline?); ${what}`);
  }
}

function parseAuthorization(env: NodeJS.ProcessEnv): string | undefined {
  const username = read(env, 'OPENSEARCH_USERNAME');
  const password = env.OPENSEARCH_PASSWORD === '' ? undefined : env.OPENSEARCH_PASSWORD;
  const header = read(env, 'OPENSEARCH_AUTH_HEADER');
  if (header !== undefined && (username !== undefined || password !== undefined)) {
    throw new ConfigError(
      'OPENSEARCH_AUTH_HEADER',
      'OPENSEARCH_AUTH_HEADER cannot be combined with OPENSEARCH_USERNAME/OPENSEARCH_PASSWORD: set one or the other',
    );
  }
  if (header !== undefined) {
    checkHeaderValue('OPENSEARCH_AUTH_HEADER', header, 'it is sent as the Authorization header');
    return header.trim();
  }
  if (username === undefined && password === undefined) return undefined;
  if (username === undefined) {
    throw new ConfigError(
      'OPENSEARCH_USERNAME',
      'OPENSEARCH_USERNAME is required when OPENSEARCH_PASSWORD is set',
    );
  }
  if (password === undefined) {
    throw new ConfigError(
      'OPENSEARCH_PASSWORD',
      'OPENSEARCH_PASSWORD is required when OPENSEARCH_USERNAME is set',
    );
  }
  if (username.includes(':')) {
    throw new ConfigError(
      'OPENSEARCH_USERNAME',
      'OPENSEARCH_USERNAME must not contain ":" (HTTP basic auth)',
    );
  }
  checkHeaderValue('OPENSEARCH_USERNAME', username, 'remove it');
  if ([...password].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
    throw new ConfigError(
      'OPENSEARCH_PASSWORD',
      'OPENSEARCH_PASSWORD contains a control character (a stray newline?)',
    );
  }
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

function parseCa(env: NodeJS.ProcessEnv): Buffer | undefined {
  const file = read(env, 'OPENSEARCH_CA');
  if (file === undefined) return undefined;
  let pem: Buffer;
  try {
    pem = readFileSync(file.trim());
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new ConfigError('OPENSEARCH_CA', `OPENSEARCH_CA: cannot read ${describe(file)} (${code})`);
  }
  const blocks = pem.toString('utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!blocks) {
    throw new ConfigError(
      'OPENSEARCH_CA',
      `OPENSEARCH_CA: ${describe(file)} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
    );
  }
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (e) {
      throw new ConfigError(
        'OPENSEARCH_CA',
        `OPENSEARCH_CA: ${describe(file)} holds a certificate that cannot be parsed (${(e as Error).message})`,
      );
    }
  }
  return pem;
}

function parseStandinVersionSetting(env: NodeJS.ProcessEnv): string | undefined {
  const value = read(env, 'STANDIN_VERSION');
  if (value === undefined) return undefined;
  try {
    return formatRelease(parseSupportedRelease(value.trim(), 'STANDIN_VERSION'));
  } catch (e) {
    if (e instanceof ReleaseError) throw new ConfigError('STANDIN_VERSION', e.message);
    throw e;
  }
}

/**
 * Reads and checks the gateway's settings. Throws `ConfigError` naming the first variable that is
 * missing or malformed; never puts a credential into a message.
 */
export function loadConfig(env: NodeJS.ProcessEnv, options: { distDir?: string } = {}): GatewayConfig {
  const host = parseHost(env);
  const port = parseInteger(env, 'PORT', DEFAULT_PORT, 0, 65_535);
  const opensearchUrl = parseUrl(env);
  const authorization = parseAuthorization(env);
  const tlsInsecure = parseBoolean(env, 'OPENSEARCH_TLS_INSECURE');
  const ca = parseCa(env);
  const readOnly = parseBoolean(env, 'CONSOLE_READ_ONLY');
  const prerender = parseBoolean(env, 'CONSOLE_PRERENDER', true);
  const upstreamTimeoutMs = parseInteger(env, 'OPENSEARCH_TIMEOUT_MS', DEFAULT_TIMEOUT_MS, 1, MAX_TIMEOUT_MS);
  const standinVersion = parseStandinVersionSetting(env);

  if (!opensearchUrl) {
    // Without a URL the gateway starts the demo stand-in; cluster settings would silently go nowhere.
    const stray = tlsInsecure
      ? 'OPENSEARCH_TLS_INSECURE'
      : ['OPENSEARCH_USERNAME', 'OPENSEARCH_PASSWORD', 'OPENSEARCH_AUTH_HEADER', 'OPENSEARCH_CA'].find(
          (name) => read(env, name) !== undefined,
        );
    if (stray) {
      throw new ConfigError(
        'OPENSEARCH_URL',
        `OPENSEARCH_URL is required when ${stray} is set (without it the console runs on the demo stand-in)`,
      );
    }
  } else if (standinVersion !== undefined) {
    // The stand-in only runs without a cluster: a version for it would silently go nowhere.
    throw new ConfigError(
      'STANDIN_VERSION',
      'STANDIN_VERSION applies only to the demo stand-in, which does not run when OPENSEARCH_URL is set: unset one of them',
    );
  }
  if (opensearchUrl?.protocol === 'http:') {
    if (ca) {
      throw new ConfigError('OPENSEARCH_CA', 'OPENSEARCH_CA needs an https:// OPENSEARCH_URL');
    }
    if (tlsInsecure) {
      throw new ConfigError(
        'OPENSEARCH_TLS_INSECURE',
        'OPENSEARCH_TLS_INSECURE needs an https:// OPENSEARCH_URL',
      );
    }
  }
  if (ca && tlsInsecure) {
    throw new ConfigError(
      'OPENSEARCH_TLS_INSECURE',
      'OPENSEARCH_TLS_INSECURE=true turns off the certificate check that OPENSEARCH_CA is for: set one or the other',
    );
  }

  return {
    host,
    port,
    opensearchUrl,
    authorization,
    ca,
    tlsInsecure,
    readOnly,
    prerender,
    upstreamTimeoutMs,
    distDir: options.distDir ?? DEFAULT_DIST_DIR,
    standinVersion,
  };
}

/** Warnings to print at start-up: settings that work but weaken security. */
export function configWarnings(config: GatewayConfig): string[] {
  const warnings: string[] = [];
  if (config.tlsInsecure) {
    warnings.push(
      '!!! WARNING: OPENSEARCH_TLS_INSECURE=true: the cluster certificate is NOT verified; anyone on the network path can read the credentials and the data. Use OPENSEARCH_CA instead. !!!',
    );
  }
  if (config.authorization && config.opensearchUrl?.protocol === 'http:') {
    warnings.push(
      'WARNING: credentials are sent to OpenSearch over plain http://; use https:// outside a trusted network.',
    );
  }
  if (config.host !== DEFAULT_HOST && !isLoopbackHost(config.host)) {
    warnings.push(
      `Note: listening on ${config.host}: anyone who can reach this address can use the console with its credentials.`,
    );
  }
  return warnings;
}

/** Loopback names and addresses: a gateway bound to one of these is reachable only from this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}
