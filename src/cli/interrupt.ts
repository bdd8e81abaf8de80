/**
 * What a signal means in each phase of the process (`ctx.phase`): the one line `main()` prints
 * when it arrives, and whether the process stops at once or lets the work in hand end first.
 *
 * Stopping at once is right wherever nothing is changed (`idle`), and for `recover`, which is
 * idempotent and already safe to kill at any point (a new `recover` finishes it). Where a run has
 * changed the mesh, the signal aborts the run and the restore (or a promotion under way) runs to
 * its end whatever comes after: a second signal is only acknowledged.
 */
import type { Phase } from '../context.js';

/** A handled signal. */
export type HandledSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/** What `main()` does with a signal. */
export interface Interrupt {
  /** The line to print on stderr (with its newline). */
  notice: string;
  /** Exit now with 128 + the signal number; otherwise abort the context and let the work end. */
  exitNow: boolean;
}

const stop = (notice: string): Interrupt => ({ notice: `${notice}\n`, exitNow: true });
const wait = (notice: string): Interrupt => ({ notice: `${notice}\n`, exitNow: false });

/** The notice for a signal that arrived while the CLI was still loading (before `main()` ran). */
export function startupInterrupt(signal: HandledSignal): Interrupt {
  return stop(`interrupted by ${signal} during start-up; nothing was started`);
}

/** What to do with `signal` in `phase`; `again` when an earlier signal is already being honoured. */
export function interruptFor(phase: Phase, signal: HandledSignal, again: boolean): Interrupt {
  // A leading newline ends the line the terminal's "^C" echo was left on.
  const first = (text: string) => `\nreceived ${signal}: ${text}`;
  const repeat = (text: string) => `received ${signal} again: ${text}`;
  switch (phase) {
    case 'idle':
      return stop(`\ninterrupted by ${signal}; nothing was changed`);
    case 'changed':
      return again ? wait(repeat('still restoring the mesh, please wait')) : wait(first('restoring the mesh before exiting (Ctrl-C again will not skip it)'));
    case 'restoring':
      return again ? wait(repeat('still restoring the mesh, please wait')) : wait(first('the mesh is being restored; exiting when that is done (Ctrl-C again will not skip it)'));
    case 'promoting':
      return again ? wait(repeat('still writing the promotion, please wait')) : wait(first('writing the promotion already decided, then exiting (Ctrl-C again will not skip it)'));
    case 'finishing':
      return again ? wait(repeat('still writing the reports, please wait')) : wait(first('the run is over and the mesh settled; writing the reports, then exiting'));
    case 'between-experiments':
      // Nothing is changed between two runs (the last one restored, the next not started): a
      // second signal may leave at once; recover writes the day's reports from its journal.
      return again
        ? stop(repeat('exiting now; nothing is changed: `mesh-exp recover <game-day dir>` writes the day\'s reports'))
        : wait(first('between experiments: skipping the rest, writing the day\'s reports (Ctrl-C again exits at once)'));
    case 'serving':
      return again ? stop(repeat('exiting now')) : wait(first('closing the mesh (Ctrl-C again exits at once)'));
    case 'recovering':
      return stop(`\ninterrupted by ${signal}; the recovery stopped where it was: \`mesh-exp recover\` again finishes it (it is safe to repeat)`);
  }
}
