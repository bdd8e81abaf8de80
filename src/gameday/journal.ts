/**
 * The game day's own journal, `gameday.jsonl` in its directory: append-only JSON lines, each
 * fsync'd (the runner's appender), so what the day did survives a SIGKILL. Each experiment's run
 * keeps its own journal in its run directory; this one says which experiment was in flight, and
 * how the finished ones ended, so `mesh-exp recover <game-day dir>` can recover that run and write
 * the combined report from this file and the run directories alone.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError } from '../errors.js';
import { GAMEDAY_JOURNAL_FILE, type GameDayExperimentResult } from '../model/gameday-result.js';
import { createJsonlAppender } from '../runner/jsonl-append.js';

export { GAMEDAY_JOURNAL_FILE };

/** One experiment as the start line lists it. */
export interface PlannedExperiment {
  /** 0-based place in the day. */
  index: number;
  /** metadata.name. */
  name: string;
  /** The file as the game day names it, or "inline". */
  source: string;
  /** Whether the day goes on when it does not pass. */
  continueOnFailure: boolean;
}

/** One journal line. `time` is epoch ms. */
export type GameDayJournalEntry =
  | {
      type: 'start';
      time: number;
      name: string;
      description?: string;
      labels: Record<string, string>;
      maxFailures: number;
      /** The mesh-exp process running the day, and its start time (from /proc): recover refuses while it lives. */
      pid?: number;
      startTime?: number;
      experiments: PlannedExperiment[];
    }
  /** Before the run starts: its run directory, relative to the game day's directory. */
  | { type: 'experiment-start'; time: number; index: number; runDir: string }
  | { type: 'experiment-end'; time: number; index: number; result: GameDayExperimentResult }
  | { type: 'end'; time: number; verdict: 'pass' | 'fail'; exitCode: number }
  /** `mesh-exp recover` finished the day (the experiment in flight recovered, the report written). */
  | { type: 'recovered'; time: number };

/** Distributive Omit, so each entry kind keeps its own fields. */
export type GameDayJournalInput = GameDayJournalEntry extends infer E ? (E extends GameDayJournalEntry ? Omit<E, 'time'> : never) : never;

/** An open game-day journal. */
export interface GameDayJournal {
  /** Absolute path of gameday.jsonl. */
  readonly path: string;
  /** Appends one entry (time added) and fsyncs it before resolving. */
  append(entry: GameDayJournalInput): Promise<void>;
}

/** Opens (creates or appends to) the journal of a game day's directory. */
export function createGameDayJournal(dir: string, now: () => number): GameDayJournal {
  const appender = createJsonlAppender(path.join(dir, GAMEDAY_JOURNAL_FILE));
  return { path: appender.path, append: (entry) => appender.append({ ...entry, time: now() }) };
}

const TYPES = new Set(['start', 'experiment-start', 'experiment-end', 'end', 'recovered']);

/**
 * Reads a game-day journal. A torn last line (a crash mid-write) is ignored; any other bad line is
 * a ValidationError naming the file and the line. The first line must be the start line.
 */
export async function readGameDayJournal(file: string): Promise<GameDayJournalEntry[]> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const last = lines.findLastIndex((l) => l.trim() !== '');
  const entries: GameDayJournalEntry[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let value: { type?: unknown; time?: unknown; index?: unknown } | undefined;
    try {
      value = JSON.parse(line) as typeof value;
    } catch {
      if (i === last) return;
    }
    const bad = !value || typeof value !== 'object' || !TYPES.has(value.type as string) || typeof value.time !== 'number'
      || (entries.length === 0 && value.type !== 'start')
      || ((value.type === 'experiment-start' || value.type === 'experiment-end') && !Number.isInteger(value.index));
    if (bad) {
      throw new ValidationError([{ file, line: i + 1, path: '', message: 'corrupted game-day journal: not a gameday.jsonl line' }], {
        hint: 'each experiment\'s run directory has its own journal: `mesh-exp recover <run dir>` recovers one',
      });
    }
    entries.push(value as GameDayJournalEntry);
  });
  return entries;
}
