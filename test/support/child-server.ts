/**
 * A fast HTTP server in its own Node process (its own event loop, so what a test measures is the
 * client's), answering every request with "ok" and `x-version` v1, v2, v1, … by arrival.
 * `GET /__stats` answers {requests, connections} (itself not counted).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach } from 'vitest';

const SOURCE = `
const http = require('node:http');
let n = 0, connections = 0;
const s = http.createServer((req, res) => {
  if (req.url === '/__stats') return res.end(JSON.stringify({ requests: n, connections }));
  res.setHeader('x-version', (n++ & 1) ? 'v2' : 'v1');
  res.end('ok');
});
s.on('connection', () => connections++);
s.keepAliveTimeout = 60000;
s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
`;

/** A running child server. */
export interface ChildServer {
  /** Base URL with a trailing slash. */
  url: string;
  /** Requests answered and connections accepted so far (the stats request's own connection included). */
  stats(): Promise<{ requests: number; connections: number }>;
}

/** Call at a test file's top level: `start()` spawns a server, killed after the test. */
export function useChildServer(): { start(): Promise<ChildServer> } {
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode !== null) continue;
      child.kill();
      await once(child, 'exit');
    }
  });
  return {
    async start() {
      const child = spawn(process.execPath, ['-e', SOURCE], { stdio: ['ignore', 'pipe', 'inherit'], env: {} });
      children.push(child);
      const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
      const url = `http://127.0.0.1:${Number(chunk.toString().trim())}/`;
      return { url, stats: async () => (await (await fetch(`${url}__stats`)).json()) as { requests: number; connections: number } };
    },
  };
}
