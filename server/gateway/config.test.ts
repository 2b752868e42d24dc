// The gateway's settings: defaults, and a message naming the variable for every malformed one.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, configWarnings, DEFAULT_DIST_DIR, loadConfig } from './config';
import { selfSignedCertificate, tempDir } from './test-helpers';

let dir: ReturnType<typeof tempDir>;
let certFile: string;
let keyFile: string;
let notPem: string;
let badPem: string;

beforeAll(() => {
  dir = tempDir('gateway-config-');
  ({ certFile, keyFile } = selfSignedCertificate(dir.path));
  notPem = join(dir.path, 'notes.txt');
  writeFileSync(notPem, 'not a certificate\n');
  badPem = join(dir.path, 'bad.pem');
  writeFileSync(badPem, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
});

afterAll(() => dir.remove());

const URL_HTTPS = { OPENSEARCH_URL: 'https://127.0.0.1:9200' };

function errorOf(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('has defaults for everything: the stand-in on 127.0.0.1:5601', () => {
    expect(loadConfig({})).toEqual({
      host: '127.0.0.1',
      port: 5601,
      opensearchUrl: undefined,
      authorization: undefined,
      ca: undefined,
      tlsInsecure: false,
      readOnly: false,
      prerender: true,
      upstreamTimeoutMs: 30_000,
      distDir: DEFAULT_DIST_DIR,
    });
    expect(DEFAULT_DIST_DIR).toMatch(/[/\\]dist$/);
    expect(loadConfig({}, { distDir: '/tmp/x' }).distDir).toBe('/tmp/x');
  });

  it('reads every setting', () => {
    const c = loadConfig({
      HOST: '0.0.0.0',
      PORT: '8080',
      OPENSEARCH_URL: 'https://search.internal:9200/opensearch/',
      OPENSEARCH_USERNAME: 'admin',
      OPENSEARCH_PASSWORD: 'pa:ss word',
      OPENSEARCH_CA: certFile,
      CONSOLE_READ_ONLY: 'true',
      CONSOLE_PRERENDER: 'false',
      OPENSEARCH_TIMEOUT_MS: '5000',
    });
    expect(c.host).toBe('0.0.0.0');
    expect(c.port).toBe(8080);
    expect(c.opensearchUrl?.href).toBe('https://search.internal:9200/opensearch/');
    expect(c.authorization).toBe(`Basic ${Buffer.from('admin:pa:ss word').toString('base64')}`);
    expect(c.ca?.toString()).toContain('BEGIN CERTIFICATE');
    expect(c.readOnly).toBe(true);
    expect(c.prerender).toBe(false);
    expect(c.upstreamTimeoutMs).toBe(5000);
    expect(loadConfig({ ...URL_HTTPS, OPENSEARCH_AUTH_HEADER: 'Bearer abc.def' }).authorization).toBe(
      'Bearer abc.def',
    );
    expect(loadConfig({ ...URL_HTTPS, OPENSEARCH_TLS_INSECURE: 'TRUE' }).tlsInsecure).toBe(true);
    expect(loadConfig({ HOST: '[::1]' }).host).toBe('::1');
    expect(loadConfig({ CONSOLE_READ_ONLY: '' }).readOnly).toBe(false);
    expect(loadConfig({ CONSOLE_PRERENDER: '' }).prerender).toBe(true);
  });

  it.each([
    [{ PORT: 'http' }, 'PORT'],
    [{ PORT: '65536' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ PORT: '80.5' }, 'PORT'],
    [{ HOST: 'bad host' }, 'HOST'],
    [{ OPENSEARCH_URL: 'localhost:9200' }, 'OPENSEARCH_URL'],
    [{ OPENSEARCH_URL: 'not a url' }, 'OPENSEARCH_URL'],
    [{ OPENSEARCH_URL: 'ftp://host' }, 'OPENSEARCH_URL'],
    [{ OPENSEARCH_URL: 'https://host:9200/?x=1' }, 'OPENSEARCH_URL'],
    [{ OPENSEARCH_URL: 'https://admin:secret@host:9200' }, 'OPENSEARCH_URL'],
    [{ ...URL_HTTPS, OPENSEARCH_USERNAME: 'admin' }, 'OPENSEARCH_PASSWORD'],
    [{ ...URL_HTTPS, OPENSEARCH_PASSWORD: 'secret' }, 'OPENSEARCH_USERNAME'],
    [{ ...URL_HTTPS, OPENSEARCH_USERNAME: 'a:b', OPENSEARCH_PASSWORD: 'x' }, 'OPENSEARCH_USERNAME'],
    [{ ...URL_HTTPS, OPENSEARCH_USERNAME: 'a', OPENSEARCH_PASSWORD: 'x\n' }, 'OPENSEARCH_PASSWORD'],
    [
      {
        ...URL_HTTPS,
        OPENSEARCH_USERNAME: 'a',
        OPENSEARCH_PASSWORD: 'x',
        OPENSEARCH_AUTH_HEADER: 'Bearer t',
      },
      'OPENSEARCH_AUTH_HEADER',
    ],
    [{ ...URL_HTTPS, OPENSEARCH_AUTH_HEADER: 'Bearer t\r\nX-Evil: 1' }, 'OPENSEARCH_AUTH_HEADER'],
    [{ ...URL_HTTPS, OPENSEARCH_CA: '/nonexistent/ca.pem' }, 'OPENSEARCH_CA'],
    [{ OPENSEARCH_URL: 'http://127.0.0.1:9200', OPENSEARCH_TLS_INSECURE: 'true' }, 'OPENSEARCH_TLS_INSECURE'],
    [{ ...URL_HTTPS, OPENSEARCH_TLS_INSECURE: 'yes' }, 'OPENSEARCH_TLS_INSECURE'],
    [{ CONSOLE_READ_ONLY: 'yes' }, 'CONSOLE_READ_ONLY'],
    [{ CONSOLE_READ_ONLY: '1' }, 'CONSOLE_READ_ONLY'],
    [{ CONSOLE_PRERENDER: 'off' }, 'CONSOLE_PRERENDER'],
    [{ OPENSEARCH_TIMEOUT_MS: '0' }, 'OPENSEARCH_TIMEOUT_MS'],
    [{ OPENSEARCH_TIMEOUT_MS: '30s' }, 'OPENSEARCH_TIMEOUT_MS'],
    [{ OPENSEARCH_USERNAME: 'admin', OPENSEARCH_PASSWORD: 'x' }, 'OPENSEARCH_URL'],
    [{ OPENSEARCH_TLS_INSECURE: 'true' }, 'OPENSEARCH_URL'],
  ])('%j → names %s', (env, variable) => {
    const e = errorOf(env);
    expect(e.variable).toBe(variable);
    expect(e.message).toContain(variable);
  });

  it('checks that OPENSEARCH_CA holds a certificate, and that it fits the URL and TLS settings', () => {
    expect(errorOf({ ...URL_HTTPS, OPENSEARCH_CA: notPem }).message).toMatch(
      /OPENSEARCH_CA.*no PEM certificate/,
    );
    expect(errorOf({ ...URL_HTTPS, OPENSEARCH_CA: keyFile }).message).toMatch(/no PEM certificate/);
    expect(errorOf({ ...URL_HTTPS, OPENSEARCH_CA: badPem }).message).toMatch(/cannot be parsed/);
    expect(errorOf({ ...URL_HTTPS, OPENSEARCH_CA: dir.path }).message).toMatch(
      /OPENSEARCH_CA: cannot read.*EISDIR/,
    );
    expect(errorOf({ OPENSEARCH_URL: 'http://127.0.0.1:9200', OPENSEARCH_CA: certFile }).variable).toBe(
      'OPENSEARCH_CA',
    );
    expect(errorOf({ ...URL_HTTPS, OPENSEARCH_CA: certFile, OPENSEARCH_TLS_INSECURE: 'true' }).variable).toBe(
      'OPENSEARCH_TLS_INSECURE',
    );
  });

  it('never puts a credential into a message', () => {
    const messages = [
      errorOf({ OPENSEARCH_URL: 'https://admin:hunter2secret@host:9200' }).message,
      errorOf({ ...URL_HTTPS, OPENSEARCH_USERNAME: 'a', OPENSEARCH_PASSWORD: 'hunter2secret\n' }).message,
      errorOf({ ...URL_HTTPS, OPENSEARCH_AUTH_HEADER: 'Bearer hunter2secret\n' }).message,
    ];
    for (const m of messages) expect(m).not.toContain('hunter2secret');
  });

  it('warns loudly about skipping certificate checks and credentials over http', () => {
    const insecure = configWarnings(loadConfig({ ...URL_HTTPS, OPENSEARCH_TLS_INSECURE: 'true' }));
    expect(insecure.join('\n')).toMatch(/WARNING: OPENSEARCH_TLS_INSECURE=true.*NOT verified/);
    const plain = configWarnings(
      loadConfig({ OPENSEARCH_URL: 'http://h:9200', OPENSEARCH_USERNAME: 'a', OPENSEARCH_PASSWORD: 'b' }),
    );
    expect(plain.join('\n')).toMatch(/plain http/);
    expect(configWarnings(loadConfig({}))).toEqual([]);
  });
});
