/**
 * A backend served by a real process: spawned (execa) in its own process group with PORT=<free
 * port> in its environment, told to the `children` observer (the run journals its pid and start
 * time) before anything relies on it, polled on `readyPath` until it answers, and stopped as a
 * whole group on close (SIGTERM, SIGKILL after 3 s), even when its leader already exited.
 * Failing to start is a RuntimeError naming the command and quoting its last stderr lines, whether
 * it exited early or never answered in time.
 */
import { request } from 'node:http';
import { createServer } from 'node:net';
import { execa } from 'execa';
import type { Logger } from '../../context.js';
import { RuntimeError } from '../../errors.js';
import { processStartTime } from './proc-stat.js';
import { stopGroup, type ChildObserver, type ChildRecord } from './process-group.js';

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
  /** Told when the process is spawned and when its group is gone. @default none */
  children?: ChildObserver;
}

/** A running command backend. */
export interface CommandBackend {
  /** Port it was told to listen on. */
  readonly port: number;
  /** Process id (leader of its process group). */
  readonly pid: number | undefined;
  /** Stops it: SIGTERM to the group, SIGKILL after 3 s; then tells the observer. Safe to call twice. */
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
  // Findable from its first moment: a signal that makes main() exit at once kills the group.
  if (child.pid !== undefined) o.children?.spawned?.(child.pid);
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

  const record: ChildRecord | undefined = child.pid === undefined
    ? undefined
    : { pid: child.pid, pgid: child.pid, startTime: (await processStartTime(child.pid)) ?? null, command: o.argv, label: o.label, port };
  let closed: Promise<void> | undefined;
  const close = () => {
    closing = true;
    closed ??= (async () => {
      // The group, not only the leader: a command may have started children, and may have exited
      // itself while they run on.
      if (record) await stopGroup(record.pgid);
      await done;
      if (record) await o.children?.reaped(record);
    })();
    return closed;
  };
  if (record) {
    try {
      await o.children?.started(record);
    } catch (err) {
      // Not recorded means not recoverable after a crash: do not run it.
      await close();
      throw err;
    }
  }

  const deadline = Date.now() + (o.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (exited) {
      const r = await done;
      // Its group may outlive it, and the observer is owed the reaping.
      await close();
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
