/**
 * fast-check arbitraries of {@link FuzzCase}s, in four profiles: `structure` (schema-aware
 * mutations of a shipped experiment, some text-level), `manifests` (the same on the manifests it
 * references), `bytes` (garbage: encodings, truncations, invalid UTF-8, random bytes), `gameday`
 * (a shipped game day mutated through its own schema, text and bytes, and the experiment files it
 * names mutated beside it).
 */
import fc from 'fast-check';
import type { FileKind, FileMutation, FuzzCase } from './fuzz-case.js';
import { describeCase, UNCHANGED } from './fuzz-case.js';
import type { FuzzInputs } from './fuzz-inputs.js';
import { hostileValue, unknownKey } from './hostile-values.js';
import { BAD_BYTES, type ByteOp } from './mutate-bytes.js';
import type { DataOp } from './mutate-data.js';
import { TAGS, type TextOp } from './mutate-text.js';
import type { SchemaField } from './schema-fields.js';
import { valueFor, withHostile, type ValueMode } from './schema-values.js';
import { distributedOps } from './distributed-ops.js';
import { notifyOps } from './notify-ops.js';
import { policyOps } from './policy-ops.js';
import { meshViewOps } from './mesh-view-ops.js';
import { sequentialOps } from './sequential-ops.js';
import { scheduleCaseArbitrary as schedule } from './schedule-case.js';

/** The profiles the suite runs. */
export type FuzzProfile = 'structure' | 'manifests' | 'bytes' | 'gameday';

/** A set op on any field of the schema, with a value `mode` draws for it. */
function setOp(fields: readonly SchemaField[], mode: ValueMode): fc.Arbitrary<DataOp> {
  const value = (f: SchemaField) => (mode === 'edge' ? withHostile(valueFor(f.schema, mode)) : valueFor(f.schema, mode));
  return fc.oneof(...fields.map((f) => fc.record({ op: fc.constant('set' as const), path: fc.constant(f.path), index: fc.nat(4), value: value(f) })));
}

/** Any structure-aware op: set a field (edge values), delete, replace by a hostile value, add an unknown key (also used by the history fuzz). */
export function dataOp(fields: readonly SchemaField[], knownKeys: readonly string[]): fc.Arbitrary<DataOp> {
  return fc.oneof(
    { arbitrary: setOp(fields, 'edge'), weight: 5 },
    { arbitrary: fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }), weight: 2 },
    { arbitrary: fc.record({ op: fc.constant('replace' as const), pick: fc.nat(), value: hostileValue }), weight: 3 },
    { arbitrary: fc.record({ op: fc.constant('unknown-key' as const), pick: fc.nat(), key: unknownKey(knownKeys), value: fc.oneof(fc.string(), hostileValue) }), weight: 1 },
  );
}

/**
 * A valid ramp (load.stages) in place of the constant rate: rate removed (both are refused),
 * 1 to 3 short stages (they must fit the step's load) and sometimes a startRate, so that some
 * staged files run through the whole of `run`.
 */
const rampOps: fc.Arbitrary<DataOp[]> = fc
  .record({
    stages: fc.array(fc.record({ rate: fc.integer({ min: 0, max: 200 }), duration: fc.constantFrom('100ms', '250ms', '500ms') }), { minLength: 1, maxLength: 3 }),
    startRate: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
  })
  .map(({ stages, startRate }) => [
    { op: 'unset' as const, path: ['spec', 'load', 'rate'] },
    { op: 'set' as const, path: ['spec', 'load', 'stages'], index: 0, value: stages },
    ...(startRate !== undefined ? [{ op: 'set' as const, path: ['spec', 'load', 'startRate'], index: 0, value: startRate }] : []),
  ]);

// The costly ones (tens of thousands of keys, items or levels) are rare: they test the linear-time
// claim and the stack, and a handful per run is enough for that.
const textOp: fc.Arbitrary<TextOp> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('duplicate-key' as const), pick: fc.nat() }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('billion-laughs' as const), levels: fc.integer({ min: 2, max: 10 }) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('alias' as const), pick: fc.nat(), kind: fc.constantFrom('undefined' as const, 'merge' as const, 'self' as const) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('tag' as const), pick: fc.nat(), tag: fc.constantFrom(...TAGS) }), weight: 3 },
  {
    arbitrary: fc.record({ op: fc.constant('nest' as const), pick: fc.nat(), depth: fc.constantFrom(2, 10, 64, 200, 1000, 5000, 20_000), style: fc.constantFrom('flow-seq' as const, 'flow-map' as const, 'block' as const) }),
    weight: 2,
  },
  { arbitrary: fc.record({ op: fc.constant('flow-array' as const), pick: fc.nat(), length: fc.constantFrom(10, 1000, 100_000) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('many-keys' as const), count: fc.constantFrom(3, 100, 2000, 20_000), duplicate: fc.boolean() }), weight: 1 },
  { arbitrary: fc.constant({ op: 'crlf' as const }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('tab' as const), pick: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('splice' as const), at: fc.nat(), text: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(':', '- ', '{', '[', '"', "'", '&', '*', '!', '|', '>', '%YAML 1.1\n', '---\n', '...\n', '? ')) }), weight: 3 },
);

/** Any byte-level op (also used by the history fuzz). */
export const byteOp: fc.Arbitrary<ByteOp> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('encoding' as const), as: fc.constantFrom('utf8-bom' as const, 'utf16le-bom' as const, 'utf16be-bom' as const, 'utf16le' as const, 'latin1' as const) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.oneof(fc.constantFrom(...BAD_BYTES), fc.array(fc.nat(255), { minLength: 1, maxLength: 8 })) }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('flip' as const), at: fc.nat(), mask: fc.nat(255) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('random' as const), bytes: fc.uint8Array({ maxLength: 2048 }) }), weight: 1 },
);

const KINDS: FileKind[] = ['empty', 'missing', 'directory', 'symlink', 'fifo', 'dev-null', 'dev-zero'];
const fileKind = fc.oneof({ arbitrary: fc.constant<FileKind>('regular'), weight: 60 }, { arbitrary: fc.constantFrom(...KINDS), weight: 1 });

function fileMutation(data: fc.Arbitrary<DataOp>, counts: { data: [number, number]; text: [number, number]; bytes: [number, number] }): fc.Arbitrary<FileMutation> {
  return fc.record({
    dataOps: fc.array(data, { minLength: counts.data[0], maxLength: counts.data[1] }),
    textOps: fc.array(textOp, { minLength: counts.text[0], maxLength: counts.text[1] }),
    byteOps: fc.array(byteOp, { minLength: counts.bytes[0], maxLength: counts.bytes[1] }),
    kind: fileKind,
  });
}

/** The case, printed by fast-check as {@link describeCase} says (not 100,000 array items in full). */
function printable(c: FuzzCase): FuzzCase {
  return Object.defineProperty(c, fc.toStringMethod, { value: () => describeCase(c), enumerable: false });
}

/** The arbitrary of cases of one profile. */
export function caseArbitrary(profile: FuzzProfile, inputs: FuzzInputs): fc.Arbitrary<FuzzCase> {
  return profileArbitrary(profile, inputs).map(printable);
}

/**
 * Cases of a game day: its own file mutated through the game-day schema (valid values often, so
 * some days validate and run, changing the mesh until the signal), sometimes through text or
 * bytes, and the experiment files it names mutated beside it, one or two at a time.
 */
function gameDayArbitrary(inputs: FuzzInputs): fc.Arbitrary<FuzzCase> {
  const base = fc.constantFrom(...inputs.gameDays.map((d) => d.name));
  const dayData = dataOp(inputs.gameDayFields, inputs.knownKeys);
  const regular = fc.constant<FileKind>('regular');
  const day = fc.oneof(
    { arbitrary: fc.constant(UNCHANGED), weight: 2 },
    { arbitrary: fc.record({ dataOps: fc.array(setOp(inputs.gameDayFields, 'valid'), { minLength: 1, maxLength: 2 }), textOps: fc.constant([] as TextOp[]), byteOps: fc.constant([] as ByteOp[]), kind: regular }), weight: 3 },
    { arbitrary: fileMutation(dayData, { data: [1, 4], text: [0, 1], bytes: [0, 0] }), weight: 3 },
    { arbitrary: fileMutation(dayData, { data: [0, 1], text: [0, 1], bytes: [1, 2] }), weight: 1 },
    // The day's own spec.notify: targets whose secret the case's environment holds, and near misses.
    { arbitrary: fc.record({ dataOps: notifyOps, textOps: fc.constant([] as TextOp[]), byteOps: fc.constant([] as ByteOp[]), kind: regular }), weight: 1 },
  );
  const names = inputs.experiments.map((e) => e.name);
  const sibling = fileMutation(dataOp(inputs.experimentFields, inputs.knownKeys), { data: [1, 2], text: [0, 0], bytes: [0, 0] });
  const siblings = fc.oneof({ arbitrary: fc.constant({}), weight: 2 }, { arbitrary: fc.dictionary(fc.constantFrom(...names), sibling, { minKeys: 1, maxKeys: 2 }), weight: 1 });
  // Up to 1.5 s: past the first experiment's start, so a signal lands in a day that changed the mesh.
  // Each day is also scheduled (printed only): a game day is a file `mesh-exp schedule` takes.
  return fc.record({ base, experiment: day, manifests: fc.constant({}), siblings, abortAfterMs: fc.integer({ min: 0, max: 1500 }), schedule });
}

function profileArbitrary(profile: FuzzProfile, inputs: FuzzInputs): fc.Arbitrary<FuzzCase> {
  if (profile === 'gameday') return gameDayArbitrary(inputs);
  const base = fc.constantFrom(...inputs.experiments.map((e) => e.name));
  const abortAfterMs = fc.integer({ min: 0, max: 400 });
  const expData = dataOp(inputs.experimentFields, inputs.knownKeys);
  const light = fileMutation(expData, { data: [0, 1], text: [0, 0], bytes: [0, 0] });
  const none = fc.constant(UNCHANGED);
  if (profile === 'structure') {
    const text = fc.oneof({ arbitrary: fc.constant([] as TextOp[]), weight: 3 }, { arbitrary: fc.array(textOp, { minLength: 1, maxLength: 2 }), weight: 1 });
    const rough = fc.record({ dataOps: fc.array(expData, { minLength: 1, maxLength: 4 }), textOps: text, byteOps: fc.constant([] as ByteOp[]), kind: fileKind });
    // Valid values only, one or two: many such files still validate, so `run` starts the mesh,
    // changes it and must restore it; rough ones mostly test the refusal paths.
    const gentle = fc.record({ dataOps: fc.array(setOp(inputs.experimentFields, 'valid'), { minLength: 1, maxLength: 2 }), textOps: fc.constant([] as TextOp[]), byteOps: fc.constant([] as ByteOp[]), kind: fc.constant<FileKind>('regular') });
    const ramp = fc.record({ dataOps: rampOps, textOps: fc.constant([] as TextOp[]), byteOps: fc.constant([] as ByteOp[]), kind: fc.constant<FileKind>('regular') });
    // load.distributed with a Kubernetes provider and a generator that has a cluster form.
    const distributed = fc.record({ dataOps: distributedOps(inputs.experimentFields), textOps: fc.constant([] as TextOp[]), byteOps: fc.constant([] as ByteOp[]), kind: fc.constant<FileKind>('regular') });
    // spec.notify: targets whose secret the case's environment holds (sends refused, retried, cancelled), and near misses.
    const notify = fc.record({ dataOps: notifyOps, textOps: fc.constant([] as TextOp[]), byteOps: fc.constant([] as ByteOp[]), kind: fc.constant<FileKind>('regular') });
    // traffic.retries and traffic.policy: whole valid settings on the manifests' subsets (so runs change the DestinationRule), and near misses.
    const policy = fc.record({ dataOps: policyOps, textOps: fc.constant([] as TextOp[]), byteOps: fc.constant([] as ByteOp[]), kind: fc.constant<FileKind>('regular') });
    // Mesh-view SLOs (read from the mesh's admin at load start and end) and demo backends with failing replicas, and near misses.
    const meshView = fc.record({ dataOps: meshViewOps, textOps: fc.constant([] as TextOp[]), byteOps: fc.constant([] as ByteOp[]), kind: fc.constant<FileKind>('regular') });
    // analysis.mode sequential with relative SLOs (per-second tests that may stop a step), and near misses.
    const sequential = fc.record({ dataOps: sequentialOps, textOps: fc.constant([] as TextOp[]), byteOps: fc.constant([] as ByteOp[]), kind: fc.constant<FileKind>('regular') });
    return fc.record({ base, experiment: fc.oneof({ arbitrary: gentle, weight: 4 }, { arbitrary: rough, weight: 4 }, { arbitrary: ramp, weight: 1 }, { arbitrary: distributed, weight: 1 }, { arbitrary: notify, weight: 1 }, { arbitrary: policy, weight: 1 }, { arbitrary: meshView, weight: 1 }, { arbitrary: sequential, weight: 1 }), manifests: fc.constant({}), abortAfterMs, schedule });
  }
  if (profile === 'manifests') {
    const manData = dataOp(inputs.manifestFields, inputs.knownKeys);
    const manifest = fc.oneof(
      { arbitrary: fileMutation(manData, { data: [1, 3], text: [0, 1], bytes: [0, 0] }), weight: 6 },
      { arbitrary: fileMutation(manData, { data: [0, 1], text: [0, 1], bytes: [1, 2] }), weight: 1 },
    );
    const names = inputs.manifests.map((m) => m.name);
    const manifests = fc.dictionary(fc.constantFrom(...names), manifest, { minKeys: 1, maxKeys: names.length });
    // The load.data files too (CSV/JSON: quotes, line ends, CR/LF in values, truncation, bad bytes).
    const dataFile = fileMutation(fc.constant({ op: 'delete' as const, pick: 0 }), { data: [0, 0], text: [1, 2], bytes: [0, 1] });
    const dataNames = inputs.dataFiles.map((d) => d.name);
    const data = dataNames.length === 0 ? fc.constant({}) : fc.dictionary(fc.constantFrom(...dataNames), dataFile, { maxKeys: dataNames.length });
    return fc.record({ base, experiment: fc.oneof({ arbitrary: none, weight: 3 }, { arbitrary: light, weight: 1 }), manifests, data, abortAfterMs, schedule });
  }
  const experiment = fileMutation(expData, { data: [0, 1], text: [0, 1], bytes: [1, 3] });
  return fc.record({ base, experiment, manifests: fc.constant({}), abortAfterMs, schedule });
}
