/**
 * The run journal: append-only JSON lines (`journal.jsonl` in the run directory), each entry
 * fsync'd before the mutation it announces. After a crash, `mesh-exp recover` reads it: a
 * `snapshot` followed by a change (`claim` or `apply`) and no later `restore-done`, `promoted` or
 * `recovered` means the mesh may be changed, and the snapshot's `original` (with its
 * `policyOriginal`, the DestinationRule of `traffic.policy`) is what to put back;
 * the snapshot also says how to reach the target (provider and endpoint).
 *
 * Processes the run starts (command backends of the in-process mesh) are journaled too: a `child`
 * entry (pid, process group, start time from /proc) right after the spawn, before the run relies
 * on the process, and a `child-exit` once its whole group is gone. A `child` without its
 * `child-exit` may still be running after a crash: recover stops its group, but only after
 * checking that the pid still has the journaled start time (a reused pid is left alone). The
 * journal is opened when the first backend starts (before the snapshot, which needs the started
 * mesh), so the only unrecorded moment is between the spawn and the fsync of its line. Before the
 * first `child` a `process` line names the run's own process, so recover can refuse to act on a
 * run that is still alive (it would stop the backends a live run relies on).
 *
 * Objects the run creates in the cluster (distributed load: ConfigMaps, Jobs, TestRuns) get a
 * `cluster-object` entry BEFORE the create, and a `cluster-object-deleted` once deleted (or found
 * gone). One without its deletion may exist after a crash: recover deletes it, but only while it
 * carries this run's ownership mark.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError } from '../errors.js';
import type { DestinationRule } from '../istio/types.js';
import type { ObjectRef } from '../kube/cluster-objects.js';
import type { ChildRecord } from '../mesh/types.js';
import type { RoutingObject, TrafficState } from '../traffic/types.js';
import { createJsonlAppender } from './jsonl-append.js';

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
      /** The DestinationRule traffic.policy changes, exactly as it was. @default absent (no policy) */
      policyOriginal?: DestinationRule;
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
  | { type: 'end'; time: number; outcome: string; restored: boolean }
  /** A process the run started (spawned, not yet relied on): how to find it again after a crash. */
  | ({ type: 'child'; time: number } & ChildRecord)
  /** The mesh-exp process of the run (before its first `child`, where /proc tells its start time): recover refuses while it lives. */
  | { type: 'process'; time: number; pid: number; startTime: number }
  /** That process and its whole group are gone (`how`: stopped by the run, or by recover, or found gone). */
  | { type: 'child-exit'; time: number; pid: number; how?: string }
  /** An object the run is about to create in the cluster (distributed load), carrying the mark `owner`. */
  | ({ type: 'cluster-object'; time: number; owner: string } & ObjectRef)
  /** That object is deleted (`how`: by the run, or by recover, or found gone). */
  | ({ type: 'cluster-object-deleted'; time: number; how?: string } & ObjectRef);

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

const ENTRY_TYPES = new Set(['snapshot', 'claim', 'claim-failed', 'apply', 'promoted', 'released', 'restore-start', 'restore-done', 'restore-failed', 'recovered', 'end', 'process', 'child', 'child-exit', 'cluster-object', 'cluster-object-deleted']);

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
  const appender = createJsonlAppender(path.resolve(options.dir, JOURNAL_FILE));
  const now = options.now ?? Date.now;
  return {
    path: appender.path,
    append: (entry) => appender.append({ ...entry, time: now() }),
  };
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
    const policyOriginal = (e as { policyOriginal?: { metadata?: { name?: unknown } } | null }).policyOriginal;
    if (policyOriginal !== undefined && typeof policyOriginal?.metadata?.name !== 'string') return 'snapshot with a policyOriginal that is not a DestinationRule';
    if (typeof target?.namespace !== 'string' || (typeof target.virtualService !== 'string' && typeof target.httpRoute !== 'string')) return 'snapshot without target namespace/virtualService (or httpRoute)';
  }
  if (e.type === 'child' || e.type === 'child-exit' || e.type === 'process') {
    const c = e as { pid?: unknown; pgid?: unknown };
    if (!Number.isInteger(c.pid) || (e.type === 'child' && !Number.isInteger(c.pgid))) return `${e.type} without an integer pid${e.type === 'child' ? ' and pgid' : ''}`;
  }
  if (e.type === 'cluster-object' || e.type === 'cluster-object-deleted') {
    const o = e as Record<string, unknown>;
    if (!['apiVersion', 'kind', 'namespace', 'name'].every((k) => typeof o[k] === 'string')) return `${e.type} without apiVersion, kind, namespace and name`;
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

/**
 * The processes a journal says the run started and never saw gone (no `child-exit`): after a
 * crash they may still run. Empty once recover has stopped them (it journals their `child-exit`).
 */
export function pendingChildren(entries: readonly JournalEntry[]): Extract<JournalEntry, { type: 'child' }>[] {
  // In order: a pid may come back for a later child once the first one is gone.
  const live = new Map<number, Extract<JournalEntry, { type: 'child' }>>();
  for (const e of entries) {
    if (e.type === 'child') live.set(e.pid, e);
    else if (e.type === 'child-exit') live.delete(e.pid);
  }
  return [...live.values()];
}

/** The cluster objects a journal says the run created (or was about to) and never saw deleted. */
export function pendingClusterObjects(entries: readonly JournalEntry[]): Extract<JournalEntry, { type: 'cluster-object' }>[] {
  const key = (e: ObjectRef) => `${e.apiVersion}/${e.kind}/${e.namespace}/${e.name}`;
  const live = new Map<string, Extract<JournalEntry, { type: 'cluster-object' }>>();
  for (const e of entries) {
    if (e.type === 'cluster-object') live.set(key(e), e);
    else if (e.type === 'cluster-object-deleted') live.delete(key(e));
  }
  return [...live.values()];
}
