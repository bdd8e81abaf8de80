/**
 * A backend served by a real process: spawned (execa) in its own process group with PORT=<free
 * port> in its environment, polled on `readyPath` until it answers, killed as a group on close.
 * Failing to start is a RuntimeError naming the command and quoting its last stderr lines, whether
 * it exited early or never answered in time.
 */
import { request } from 'node:http';
import { createServer } from 'node:net';
// Only to signal the child's own process group; nothing else of `process` is used.
import { kill } from 'node:process';
import { execa } from 'execa';
import type { Logger } from '../../context.js';
import { RuntimeError } from '../../errors.js';

/** Options for {@link startCommandBackend}. */
export interface CommandBackendOptions {
  /** argv; argv[0] is the program. */
  argv: string[];
  /** Working directory. */
  cwd: string;
  /** Environment (PORT is added). When undefined the mesh's own environment is inherited. @default inherited */
  env?: Record<string, string | undefined>;
  /** Path polled until the process answers with a status below 500. */
  readyPath: string;
  /** How long to wait for readiness, ms. @default 30000 */
  readyTimeoutMs?: number;
  /** Name for messages, e.g. "reviews-v2-0". */
  label: string;
  /** Receives the process's output lines at debug level and unexpected exits as warnings. */
  logger?: Logger;
}

/** A running command backend. */
export interface CommandBackend {
  /** Port it was told to listen on. */
  readonly port: number;
  /** Process id (leader of its process group). */
  readonly pid: number | undefined;
  /** Stops it: SIGTERM to the group, SIGKILL after 3 s. */
  close(): Promise<void>;
}

const KEEP_LINES = 20;

/** Finds a free TCP port on 127.0.0.1 (bind to port 0, read it, release it). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** Starts the process and waits until it is ready. */
export async function startCommandBackend(o: CommandBackendOptions): Promise<CommandBackend> {
  const [file, ...args] = o.argv;
  if (!file) throw new RuntimeError(`backend ${o.label}: empty command`);
  const port = await freePort();
  const env = { ...(o.env ?? {}), PORT: String(port) };
  const child = execa(file, args, {
    cwd: o.cwd,
    env,
    extendEnv: o.env === undefined,
    detached: true,
    stdin: 'ignore',
    buffer: false,
    reject: false,
  });
  const lines: string[] = [];
  const onOutput = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      if (stream === 'stderr') {
        lines.push(line);
        if (lines.length > KEEP_LINES) lines.shift();
      }
      o.logger?.debug(`[${o.label}] ${line}`);
    }
  };
  child.stdout?.on('data', onOutput('stdout'));
  child.stderr?.on('data', onOutput('stderr'));
  const command = o.argv.join(' ');
  const tail = () => (lines.length ? `\nlast stderr lines:\n  ${lines.slice(-10).join('\n  ')}` : ' (no stderr output)');
  let closing = false;
  let exited = false;
  let spawnError: unknown;
  const done = child.then((r) => {
    exited = true;
    if (r.failed && r.exitCode === undefined && r.signal === undefined) spawnError = r.cause ?? r;
    if (!closing) o.logger?.warn(`backend ${o.label} (${command}) exited${r.exitCode !== undefined ? ` with code ${r.exitCode}` : r.signal ? ` on ${r.signal}` : ''}`);
    return r;
  });

  const killGroup = (signal: NodeJS.Signals) => {
    if (exited || child.pid === undefined) return;
    try {
      // Negative pid: the whole process group (the command may have started children).
      kill(-child.pid, signal);
    } catch {
      child.kill(signal);
    }
  };
  const close = async () => {
    closing = true;
    if (exited) return;
    killGroup('SIGTERM');
    const timer = setTimeout(() => killGroup('SIGKILL'), 3000);
    await done;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (o.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (exited) {
      const r = await done;
      const why = spawnError ? `could not be started: ${(spawnError as Error).message ?? String(spawnError)}` : `exited${r.exitCode !== undefined ? ` with code ${r.exitCode}` : ''} before it was ready`;
      throw new RuntimeError(`backend ${o.label}: command "${command}" ${why}${tail()}`, {
        hint: `it must listen on 127.0.0.1:$PORT and answer GET ${o.readyPath}`,
      });
    }
    if (await probe(port, o.readyPath)) break;
    if (Date.now() > deadline) {
      await close();
      throw new RuntimeError(`backend ${o.label}: command "${command}" did not answer GET http://127.0.0.1:${port}${o.readyPath} within ${o.readyTimeoutMs ?? 30_000} ms${tail()}`, {
        hint: 'it must listen on 127.0.0.1:$PORT (the PORT environment variable); set readyPath to a path it answers',
      });
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, pid: child.pid, close };
}

/** True when GET path answers with a status below 500. */
function probe(port: number, path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', timeout: 1000, agent: false }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 500) < 500);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}
