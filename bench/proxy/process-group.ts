/**
 * Every process the proxy benchmark starts goes through here, so that all of them — HAProxy,
 * the mesh launcher (and the backends it starts), wrk — are stopped even when a step fails.
 * Each child leads its own process group, and stopping signals the whole group.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** `process.kill`'s shape (a negative pid signals a process group); injected so only main() touches `process`. */
export type Killer = (pid: number, signal: NodeJS.Signals) => void;

/** Options for {@link createProcessGroup}. */
export interface ProcessGroupOptions {
  /** Environment every child gets (passed explicitly, never inherited implicitly). */
  env: Record<string, string | undefined>;
  /** Sends a signal, e.g. `(pid, s) => process.kill(pid, s)`. */
  kill: Killer;
  /** Called with each line a child writes to stderr (and stdout unless captured). @default ignore */
  onOutput?: (name: string, line: string) => void;
}

/** A started child with its output. */
export interface Started {
  /** The child process. */
  child: ChildProcess;
  /** Resolves with the exit code (or null when killed by a signal) once the process ends. */
  exited: Promise<number | null>;
  /** Everything it wrote to stdout so far (when `captureStdout`). */
  stdout(): string;
}

/** Options for one {@link ProcessGroup.start}. */
export interface StartOptions {
  /** Label used in logs. */
  name: string;
  /** Keep stdout in memory instead of logging it. @default false */
  captureStdout?: boolean;
  /** Working directory. */
  cwd?: string;
}

/** The set of running children; `stopAll` ends every one still alive. */
export interface ProcessGroup {
  /** Starts `argv` in its own process group. */
  start(argv: string[], options: StartOptions): Started;
  /** SIGTERM, then SIGKILL after `graceMs`, to one started child's group. */
  stop(started: Started, graceMs?: number): Promise<void>;
  /** Stops every child still running. */
  stopAll(graceMs?: number): Promise<void>;
  /** SIGKILLs an arbitrary pid (e.g. a backend the mesh started) if it is still alive. */
  killPid(pid: number): void;
}

/** Creates an empty process group. */
export function createProcessGroup(options: ProcessGroupOptions): ProcessGroup {
  const running = new Set<Started>();
  const log = options.onOutput ?? (() => {});

  const signal = (pid: number | undefined, s: NodeJS.Signals) => {
    if (pid === undefined) return;
    try {
      options.kill(-pid, s);
    } catch {
      // ESRCH: already gone — exactly what we want.
    }
  };

  const stop = async (started: Started, graceMs = 3000) => {
    if (started.child.exitCode !== null || started.child.signalCode !== null) {
      running.delete(started);
      return;
    }
    signal(started.child.pid, 'SIGTERM');
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
    if ((await Promise.race([started.exited, timer])) === 'timeout') {
      signal(started.child.pid, 'SIGKILL');
      await started.exited;
    }
    running.delete(started);
  };

  return {
    start(argv, opts) {
      const [cmd, ...args] = argv;
      if (!cmd) throw new Error('empty argv');
      // detached: the child leads a new process group, so a group signal reaches its children too.
      const child = spawn(cmd, args, { cwd: opts.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        if (opts.captureStdout) out += chunk;
        else for (const line of chunk.split('\n')) if (line) log(opts.name, line);
      });
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) if (line) log(opts.name, line);
      });
      const exited = new Promise<number | null>((resolve) => {
        child.on('error', (err) => {
          log(opts.name, `failed to start: ${err.message}`);
          resolve(null);
        });
        child.on('close', (code) => resolve(code));
      });
      const started: Started = { child, exited, stdout: () => out };
      running.add(started);
      void exited.then(() => running.delete(started));
      return started;
    },
    stop,
    async stopAll(graceMs) {
      await Promise.all([...running].map((s) => stop(s, graceMs)));
    },
    killPid(pid) {
      try {
        options.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}

/** Runs `argv` to completion in the group and returns its stdout; rejects on a non-zero exit. */
export async function runToEnd(group: ProcessGroup, argv: string[], options: StartOptions): Promise<string> {
  const started = group.start(argv, { ...options, captureStdout: true });
  const code = await started.exited;
  if (code !== 0) throw new Error(`${options.name} exited with ${code}: ${argv.join(' ')}`);
  return started.stdout();
}
