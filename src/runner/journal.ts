/**
 * The run journal: append-only JSON lines (`journal.jsonl` in the run directory), each entry
 * fsync'd before the mutation it announces. After a crash, `mesh-exp recover` reads it: a
 * `snapshot` followed by a change (`claim` or `apply`) and no later `restore-done`, `promoted` or
 * `recovered` means the mesh may be changed, and the snapshot's `original` is what to put back;
 * the snapshot also says how to reach the target (provider and endpoint).
 */
import { open, readFile, truncate } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError } from '../errors.js';
import type { RoutingObject, TrafficState } from '../traffic/types.js';

/** File name of the journal inside the run directory. */
export const JOURNAL_FILE = 'journal.jsonl';

/** One journal line. `time` is epoch ms. */
export type JournalEntry =
  | {
      type: 'snapshot';
      time: number;
      /** Provider that took the snapshot, e.g. "local" (in-process mesh) or "local-attach". */
      provider: string;
      /** Where the provider reaches the target (the attach URL); absent for the in-process mesh. */
      endpoint?: string;
      /** The object (namespace/name) and the route the experiment acted on. */
      target: JournalTarget;
      /** The VirtualService (or HTTPRoute) exactly as it was before any change. */
      original: RoutingObject;
    }
  | {
      /** The run is about to mark the object as its own (before the first apply). */
      type: 'claim';
      time: number;
      /** The mark written: this journal's absolute path. */
      owner: string;
    }
  | { type: 'claim-failed'; time: number; error: string }
  | {
      type: 'apply';
      time: number;
      /** 0-based step index, or "promote" for the final promotion. */
      step: number | 'promote';
      /** The managed state about to be applied. */
      state: TrafficState;
    }
  /** The promotion is in force and verified: from here on nothing is to be restored. */
  | { type: 'promoted'; time: number }
  /** The ownership mark is removed from the promoted object. */
  | { type: 'released'; time: number }
  | { type: 'restore-start'; time: number; reason: string }
  | { type: 'restore-done'; time: number }
  | { type: 'restore-failed'; time: number; error: string }
  /** Recovered without restoring (e.g. the in-process mesh is gone with the process). */
  | { type: 'recovered'; time: number; reason: string }
  | { type: 'end'; time: number; outcome: string; restored: boolean };

/** The target as the journal records it (enough to build the provider again in `mesh-exp recover`). */
export interface JournalTarget {
  /** Namespace of the object. */
  namespace: string;
  /** Name of the VirtualService (providers local, local-attach, istio). */
  virtualService?: string;
  /** Name of the HTTPRoute (provider gateway-api). */
  httpRoute?: string;
  /** Service of the stable version (gateway-api), when the experiment named it. */
  stableService?: string;
  /** Service of the canary version (gateway-api), when the experiment named it. */
  canaryService?: string;
  /** Destination host. @default absent in journals of older versions */
  host?: string;
  /** Stable subset. */
  stable?: string;
  /** Canary subset. */
  canary?: string;
  /** Name of the target route, when the experiment named one. */
  route?: string;
}

const ENTRY_TYPES = new Set(['snapshot', 'claim', 'claim-failed', 'apply', 'promoted', 'released', 'restore-start', 'restore-done', 'restore-failed', 'recovered', 'end']);

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

/**
 * Before the first append to an existing journal: a torn last line (a crash mid-write) is cut off,
 * as a write-ahead log does, so the entries appended after it stay readable.
 * Returns whether the file existed.
 */
async function repairTail(file: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  if (text !== '' && !text.endsWith('\n')) await truncate(file, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
  return true;
}

/** Opens (creates or appends to) the journal of a run directory. */
export function createJournal(options: JournalOptions): Journal {
  const file = path.resolve(options.dir, JOURNAL_FILE);
  const now = options.now ?? Date.now;
  // Appends are serialised so lines never interleave and each fsync covers its own line.
  let tail: Promise<void> = Promise.resolve();
  let first = true;
  return {
    path: file,
    append(entry) {
      const line = `${JSON.stringify({ ...entry, time: now() })}\n`;
      const write = async () => {
        const existed = first ? await repairTail(file) : true;
        const fh = await open(file, 'a');
        try {
          await fh.writeFile(line, 'utf8');
          await fh.sync();
        } finally {
          await fh.close();
        }
        // A new file's directory entry must be durable too, or a power loss could lose the journal.
        if (!existed) await syncDir(path.dirname(file));
        first = false;
      };
      const next = tail.then(write);
      tail = next.catch(() => {});
      return next;
    },
  };
}

/** fsyncs a directory (best effort: some file systems refuse it). */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r').catch(() => undefined);
  try {
    await fh?.sync();
  } catch {
    // Not supported here; the file's own fsync is what we can do.
  } finally {
    await fh?.close();
  }
}

/** Why a line is not a journal entry, or undefined when it is one. */
function entryProblem(value: unknown): string | undefined {
  const e = value as { type?: unknown; time?: unknown; original?: unknown; target?: unknown } | null;
  if (e === null || typeof e !== 'object' || Array.isArray(e)) return 'not a JSON object';
  if (typeof e.type !== 'string' || !ENTRY_TYPES.has(e.type)) return `unknown entry type ${JSON.stringify(e.type)}`;
  if (typeof e.time !== 'number') return 'no "time"';
  if (e.type === 'snapshot') {
    const original = e.original as { metadata?: { name?: unknown } } | null | undefined;
    const target = e.target as { namespace?: unknown; virtualService?: unknown; httpRoute?: unknown } | null | undefined;
    if (typeof original?.metadata?.name !== 'string') return 'snapshot without the original object';
    if (typeof target?.namespace !== 'string' || (typeof target.virtualService !== 'string' && typeof target.httpRoute !== 'string')) return 'snapshot without target namespace/virtualService (or httpRoute)';
  }
  return undefined;
}

/**
 * Reads a journal. A torn last line (a crash mid-write) is ignored; any other bad line is a
 * ValidationError naming the file and the line (exit 2: the journal is input that cannot be used).
 */
export async function readJournal(file: string): Promise<JournalEntry[]> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const entries: JournalEntry[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const isLast = lines.slice(i + 1).every((l) => !l.trim());
    let value: unknown;
    let problem: string | undefined;
    try {
      value = JSON.parse(line);
      problem = entryProblem(value);
    } catch {
      if (isLast) return;
      problem = 'not a JSON journal line';
    }
    if (problem) {
      throw new ValidationError([{ file, line: i + 1, path: '', message: `corrupted journal: ${problem}` }], {
        hint: 'the journal is damaged; the original object is the "snapshot" line, if it is intact — apply it by hand',
      });
    }
    entries.push(value as JournalEntry);
  });
  return entries;
}

/** The journal's snapshot entry, if it has one. */
export function snapshotOf(entries: readonly JournalEntry[]): Extract<JournalEntry, { type: 'snapshot' }> | undefined {
  const found = entries.find((e) => e.type === 'snapshot');
  return found?.type === 'snapshot' ? found : undefined;
}

/**
 * What a journal says must be restored: the snapshot's original when the run changed the mesh (a
 * claim that did not fail, or an apply) and did not finish restoring (nor promote, nor get
 * recovered otherwise); undefined when the mesh is as intended.
 */
export function pendingRestore(entries: readonly JournalEntry[]): RoutingObject | undefined {
  const snapshot = snapshotOf(entries);
  if (!snapshot) return undefined;
  const changed = entries.some((e) => e.type === 'apply') || (entries.some((e) => e.type === 'claim') && !entries.some((e) => e.type === 'claim-failed'));
  if (!changed) return undefined;
  if (entries.some((e) => e.type === 'promoted' || e.type === 'recovered')) return undefined;
  const end = entries.find((e) => e.type === 'end');
  if (end?.type === 'end' && end.outcome === 'promoted' && end.restored) return undefined;
  const last = [...entries].reverse().find((e) => e.type !== 'end');
  return last?.type === 'restore-done' ? undefined : snapshot.original;
}

/** Whether a promoted run may still have left its ownership mark on the object (claimed, promoted, never released). */
export function pendingRelease(entries: readonly JournalEntry[]): boolean {
  const has = (type: JournalEntry['type']) => entries.some((e) => e.type === type);
  return has('claim') && has('promoted') && !has('released');
}
