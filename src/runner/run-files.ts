/**
 * The run directory and its journal, opened once, on first need: when the first backend process
 * of the in-process mesh starts (its pid must be journaled before the run relies on it, and the
 * mesh starts before the snapshot can be taken), else when the run takes its snapshot. A run that
 * starts no process and stops in preflight so still leaves no run directory behind (one that
 * started a backend leaves its journal: the process, started and stopped). Before the first
 * `child` line the journal names the run's own process (pid and start time).
 */
import { readProcStat } from '../mesh/backends/proc-stat.js';
import type { ChildObserver } from '../mesh/types.js';
import { createJournal, type Journal } from './journal.js';
import { createRunDir, type RunDirOptions } from './run-dir.js';

/** An opened run directory. */
export interface RunFiles {
  /** Absolute run directory. */
  runDir: string;
  /** Its journal. */
  journal: Journal;
}

/** Opens the run directory and journal once; every call after the first gets the same ones. */
export interface RunFilesOpener {
  /** Creates the run directory and journal on the first call. */
  open(): Promise<RunFiles>;
}

/** Creates the opener; `now` is the journal's clock. */
export function createRunFilesOpener(options: RunDirOptions, now: () => number): RunFilesOpener {
  let opened: Promise<RunFiles> | undefined;
  return {
    open() {
      opened ??= createRunDir(options).then((runDir) => ({ runDir, journal: createJournal({ dir: runDir, now }) }));
      return opened;
    },
  };
}

/**
 * The observer the in-process mesh tells about its backend processes: each one is journaled
 * (`child`, fsync'd) before the mesh waits for it to be ready, and `child-exit` once its process
 * group is gone.
 */
export function journalChildren(files: RunFilesOpener): ChildObserver {
  let owner: Promise<void> | undefined;
  return {
    async started(child) {
      const { journal } = await files.open();
      // Before the first child: who runs them, so that recover can tell a live run (whose
      // backends it must not stop) from a dead one, where /proc tells.
      owner ??= readProcStat('self').then((self) => (self ? journal.append({ type: 'process', pid: self.pid, startTime: self.startTime }) : undefined));
      await owner;
      await journal.append({ type: 'child', ...child });
    },
    async reaped(child) {
      const { journal } = await files.open();
      await journal.append({ type: 'child-exit', pid: child.pid, how: 'stopped by the run' });
    },
  };
}
