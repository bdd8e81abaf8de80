/**
 * Small helpers for stopping on a signal: waits that end early on abort, and the exit code an
 * abort reason maps to.
 */
import { ExitCode, SignalError, type ExitCodeValue } from '../errors.js';

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The signal name of an abort reason ("SIGINT" when the reason is not a SignalError). */
export function abortSignalName(reason: unknown): string {
  return reason instanceof SignalError ? reason.signal : 'SIGINT';
}

/** Exit code for an abort: 128 + signal number (130 when the reason is not a SignalError). */
export function abortExitCode(reason: unknown): ExitCodeValue {
  return reason instanceof SignalError ? reason.exitCode : ExitCode.SIGINT;
}
