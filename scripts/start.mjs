// `npm start`: the console on the stand-in (or on OPENSEARCH_URL), through the Vite dev server and its proxy.
import { spawn } from 'node:child_process';

const host = process.env.HOST ?? '127.0.0.1';
const port = process.env.PORT ?? '5173';
const standinPort = process.env.STANDIN_PORT ?? '9250';
const children = [];

function start(name, args, env = {}) {
  // Each child leads its own process group, so stopping reaches the processes it starts in turn.
  const child = spawn(`node_modules/.bin/${args[0]}`, args.slice(1), {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) console.log(`[${name}] ${line}`);
    });
  }
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[${name}] exited (${signal ?? code}); stopping`);
    stop(code ?? 1);
  });
  children.push(child);
  return child;
}

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  setTimeout(() => process.exit(code), 500).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

let target = process.env.OPENSEARCH_URL;
if (!target) {
  target = `http://127.0.0.1:${standinPort}`;
  start('stand-in', [
    'tsx',
    'server/standin/cli.ts',
    '--host',
    '127.0.0.1',
    '--port',
    standinPort,
    '--tasks',
    '5000',
    '--live',
  ]);
}
console.log(`forwarding /_plugins/_ml to ${target}`);
start('console', ['vite', '--host', host, '--port', port, '--strictPort'], { OPENSEARCH_URL: target });
