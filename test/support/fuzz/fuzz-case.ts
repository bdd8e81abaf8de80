/**
 * One generated case: which shipped experiment it starts from, the mutations applied to it and to
 * its manifests, what kind of file it ends up as, and when its `run` is interrupted. A case is
 * plain data (fast-check shrinks it); {@link materializeCase} turns it into the files' bytes.
 */
import { stringify } from 'yaml';
import type { FuzzInputs } from './fuzz-inputs.js';
import { applyByteOps, type ByteOp } from './mutate-bytes.js';
import { applyDataOps, type DataOp } from './mutate-data.js';
import { applyTextOps, type TextOp } from './mutate-text.js';
import type { ScheduleCase } from './schedule-case.js';

/** What a path names on disk. Only `regular` holds the mutated bytes. */
export type FileKind = 'regular' | 'empty' | 'missing' | 'directory' | 'symlink' | 'fifo' | 'dev-null' | 'dev-zero';

/** The mutations of one file. */
export interface FileMutation {
  dataOps: DataOp[];
  textOps: TextOp[];
  byteOps: ByteOp[];
  kind: FileKind;
}

/** A generated case. */
export interface FuzzCase {
  /** The shipped experiment or game day it starts from (a name in `experiments/`). */
  base: string;
  /** The experiment file's mutations. */
  experiment: FileMutation;
  /** Mutations of the manifests, by file name in `experiments/manifests/` (absent: as shipped). */
  manifests: Record<string, FileMutation>;
  /** Mutations of the load.data files, by file name in `experiments/data/` (absent: as shipped); their data ops are ignored (not YAML). @default {} */
  data?: Record<string, FileMutation>;
  /**
   * A game day's experiment files (the shipped experiments, laid out beside it), mutated by name;
   * absent: as shipped. Only a game-day base has them. @default {}
   */
  siblings?: Record<string, FileMutation>;
  /** When `run` is interrupted (the context's signal aborted, as by Ctrl-C), in ms after it starts. */
  abortAfterMs: number;
  /** The `--cron` and flags `mesh-exp schedule` prints the case's objects with. @default not scheduled */
  schedule?: ScheduleCase;
}

/** A case's files as bytes (a `regular` kind's content; other kinds are made by the runner). */
export interface CaseFiles {
  experiment: Buffer;
  manifests: Map<string, Buffer>;
  data: Map<string, Buffer>;
  /** For a game day: every shipped experiment, by name, to lay out beside it (its path entries name them). */
  siblings: Map<string, Buffer>;
}

/** The identity mutation. */
export const UNCHANGED: FileMutation = { dataOps: [], textOps: [], byteOps: [], kind: 'regular' };

function mutateFile(base: { text: string; data: unknown }, m: FileMutation): Buffer {
  // Data ops lose the comments (the file is written anew); without them the shipped text stays.
  const text = m.dataOps.length > 0 ? stringify(applyDataOps(base.data, m.dataOps), { lineWidth: 0 }) : base.text;
  return applyByteOps(Buffer.from(applyTextOps(text, m.textOps), 'utf8'), m.byteOps);
}

/** The bytes of the case's experiment and of every manifest (mutated or as shipped). */
export function materializeCase(c: FuzzCase, inputs: FuzzInputs): CaseFiles {
  const base = inputs.experiments.find((e) => e.name === c.base) ?? inputs.gameDays.find((e) => e.name === c.base);
  if (!base) throw new Error(`no shipped experiment or game day ${c.base}`);
  const isDay = inputs.gameDays.includes(base);
  const siblings = new Map(isDay ? inputs.experiments.map((e) => [e.name, mutateFile(e, c.siblings?.[e.name] ?? UNCHANGED)]) : []);
  const manifests = new Map(inputs.manifests.map((m) => [m.name, mutateFile(m, c.manifests[m.name] ?? UNCHANGED)]));
  // A data file is CSV or JSON, not YAML: only its text and bytes are mutated.
  const data = new Map(inputs.dataFiles.map((d) => [d.name, mutateFile(d, { ...(c.data?.[d.name] ?? UNCHANGED), dataOps: [] })]));
  return { experiment: mutateFile(base, c.experiment), manifests, data, siblings };
}

function shorten(value: unknown): unknown {
  if (typeof value === 'string') return value.length > 80 ? `${value.slice(0, 60)}… (${value.length} chars)` : value;
  if (value instanceof Uint8Array) return `<${value.length} bytes: ${Buffer.from(value.subarray(0, 24)).toString('hex')}…>`;
  if (Array.isArray(value)) return value.length > 8 ? `[${value.length} items: ${JSON.stringify(value.slice(0, 3).map(shorten))}…]` : value.map(shorten);
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shorten(v)]));
  return value;
}

/** The case as a short readable text (long strings and arrays cut), for failure reports. */
export function describeCase(c: FuzzCase): string {
  return JSON.stringify(shorten(c));
}
