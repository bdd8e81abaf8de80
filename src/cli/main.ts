/**
 * The process entry point: the only code that touches `process`. A signal is honoured as the
 * phase of the work says (`ctx.phase`, see `interrupt.ts`): where nothing is changed the process
 * exits at once; once a run has changed the mesh it aborts the context, the runner restores, and
 * the process exits with 128 + signal number. A second signal during a restore is acknowledged
 * and ignored, never a reason to abandon it.
 */
import { createContext } from '../context.js';
import { signalGroup } from '../mesh/backends/process-group.js';
import { SignalError, signalExitCode } from '../errors.js';
import { interruptFor, startupInterrupt, type HandledSignal } from './interrupt.js';
import { runCli } from './program.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Options of {@link main}. */
export interface MainOptions {
  /** A signal that arrived while `bin/mesh-exp.js` was loading the CLI: honoured at once. @default none */
  startupSignal?: HandledSignal;
}

/**
 * Runs the CLI against the real process and sets `process.exitCode`. Its handlers are installed
 * before it first awaits, so a caller that held signals until now can hand over without a gap.
 */
export async function main(argv: string[] = process.argv.slice(2), options: MainOptions = {}): Promise<void> {
  // A reader that stops early (`mesh-exp --help | head -1`) closes the pipe. Later writes then fail
  // with EPIPE, which must neither print a stack trace nor stop a run before it restores the mesh.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
    });
  }
  const controller = new AbortController();
  const ctx = createContext({
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
    verbose: argv.includes('-v') || argv.includes('--verbose'),
    // A failpoint is a crash: SIGKILL cannot be handled, so nothing after this line runs —
    // the wait only keeps this thread from running more JavaScript until the kernel delivers it.
    kill: () => {
      process.kill(process.pid, 'SIGKILL');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
    },
  });
  if (options.startupSignal) {
    ctx.stderr.write(startupInterrupt(options.startupSignal).notice);
    process.exitCode = signalExitCode[options.startupSignal];
    return;
  }
  const onSignal = (signal: HandledSignal) => {
    const interrupt = interruptFor(ctx.phase, signal, controller.signal.aborted);
    // Abort before printing: the progress view takes its block away on the abort, so the notice
    // lands where the block was instead of being erased by its next redraw.
    if (!controller.signal.aborted) controller.abort(new SignalError(signal));
    ctx.stderr.write(interrupt.notice);
    // Nothing is changed (or what runs is safe to kill): no reason to wait for the work in hand,
    // which may be blocked (a slow read, an unreachable API server). stderr is written
    // synchronously (files, pipes and terminals on Linux), so the notice is out before the exit.
    if (interrupt.exitNow) {
      // No child outlives the process: what the command started (command backends, each leading
      // its own group) is killed outright, since there is no time left to let it end gracefully.
      for (const pgid of ctx.processGroups) signalGroup(pgid, 'SIGKILL');
      process.exit(signalExitCode[signal]);
    }
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  const code = await runCli(argv, ctx);
  for (const s of SIGNALS) process.off(s, onSignal);
  process.exitCode = code;
}
