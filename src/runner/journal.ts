/**
 * The run journal: append-only JSON lines (`journal.jsonl` in the run directory), each entry
 * fsync'd before the mutation it announces. After a crash, `mesh-exp recover` reads it: a
 * `snapshot` without a later `restore-done` (or a promoting `end`) means the mesh may be changed
 * and the snapshot's `original` is what to put back.
 */
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { VirtualService } from '../istio/types.js';
import type { TrafficState } from '../traffic/types.js';

/** File name of the journal inside the run directory. */
export const JOURNAL_FILE = 'journal.jsonl';

/** One journal line. `time` is epoch ms. */
export type JournalEntry =
  | {
      type: 'snapshot';
      time: number;
      /** Provider that took the snapshot, e.g. "local". */
      provider: string;
      /** Namespace/name of the VirtualService. */
      target: { namespace: string; virtualService: string };
      /** The VirtualService exactly as it was before any change. */
      original: VirtualService;
    }
  | {
      type: 'apply';
      time: number;
      /** 0-based step index, or "promote" for the final promotion. */
      step: number | 'promote';
      /** The managed state about to be applied. */
      state: TrafficState;
    }
  | { type: 'restore-start'; time: number; reason: string }
  | { type: 'restore-done'; time: number }
  | { type: 'restore-failed'; time: number; error: string }
  | { type: 'end'; time: number; outcome: string; restored: boolean };

/** Distributive Omit, so each entry kind keeps its own fields. */
export type JournalInput = JournalEntry extends infer E ? (E extends JournalEntry ? Omit<E, 'time'> : never) : never;

/** An open journal. */
export interface Journal {
  /** Absolute path of journal.jsonl. */
  readonly path: string;
  /** Appends one entry (time added) and fsyncs it before resolving. */
  append(entry: JournalInput): Promise<void>;
}

/** Options for {@link createJournal}. */
export interface JournalOptions {
  /** Run directory (must exist). */
  dir: string;
  /** Epoch-ms clock. @default Date.now */
  now?: () => number;
}

/** Opens (creates or appends to) the journal of a run directory. */
export function createJournal(options: JournalOptions): Journal {
  const file = path.resolve(options.dir, JOURNAL_FILE);
  const now = options.now ?? Date.now;
  // Appends are serialised so lines never interleave and each fsync covers its own line.
  let tail: Promise<void> = Promise.resolve();
  return {
    path: file,
    append(entry) {
      const line = `${JSON.stringify({ ...entry, time: now() })}\n`;
      const write = async () => {
        const fh = await open(file, 'a');
        try {
          await fh.writeFile(line, 'utf8');
          await fh.sync();
        } finally {
          await fh.close();
        }
      };
      const next = tail.then(write);
      tail = next.catch(() => {});
      return next;
    },
  };
}

/** Reads a journal; a torn last line (crash mid-write) is ignored, any other bad line throws. */
export async function readJournal(file: string): Promise<JournalEntry[]> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const entries: JournalEntry[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      entries.push(JSON.parse(line) as JournalEntry);
    } catch (err) {
      const isLast = lines.slice(i + 1).every((l) => !l.trim());
      if (!isLast) throw new Error(`${file}:${i + 1}: not a JSON journal line`, { cause: err });
    }
  });
  return entries;
}

/**
 * What a journal says must be restored: the snapshot's original when the run changed the mesh and
 * did not finish restoring (nor end promoted); undefined when the mesh is as intended.
 */
export function pendingRestore(entries: readonly JournalEntry[]): VirtualService | undefined {
  const snapshot = entries.find((e) => e.type === 'snapshot');
  if (snapshot?.type !== 'snapshot') return undefined;
  if (!entries.some((e) => e.type === 'apply')) return undefined;
  const end = entries.find((e) => e.type === 'end');
  if (end?.type === 'end' && end.outcome === 'promoted' && end.restored) return undefined;
  const last = [...entries].reverse().find((e) => e.type !== 'end');
  return last?.type === 'restore-done' ? undefined : snapshot.original;
}
