/**
 * The process entry point: the only code that touches `process`. It turns signals into an abort
 * of the context (the runner restores, then the process exits with 128 + signal number). A second
 * signal while the restore runs is acknowledged and ignored, never a reason to abandon it.
 */
import { createContext } from '../context.js';
import { SignalError } from '../errors.js';
import { runCli } from './program.js';

/** Runs the CLI against the real process and sets `process.exitCode`. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
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
  const onSignal = (signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP') => {
    if (!controller.signal.aborted) {
      ctx.stderr.write(`\nreceived ${signal}: restoring the mesh before exiting (Ctrl-C again will not skip it)\n`);
      controller.abort(new SignalError(signal));
    } else {
      // A second signal must not abandon the restore in progress.
      ctx.stderr.write(`received ${signal} again: still restoring, please wait\n`);
    }
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, onSignal);
  const code = await runCli(argv, ctx);
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(s, onSignal);
  process.exitCode = code;
}
