/**
 * Deterministic JSON: the same data always gives the same bytes, whatever order its keys were
 * inserted in, so result.json files diff cleanly between runs.
 */
import { randomUUID } from 'node:crypto';

/**
 * Keys written first, in this order (the RunResult/StepResult/CheckResult/VersionStats field
 * order, which reads top-down: verdict before detail); every other key follows alphabetically.
 */
const KEY_ORDER = [
  'schemaVersion',
  'apiVersion',
  'kind',
  'name',
  'metadata',
  'outcome',
  'summary',
  'exitCode',
  'index',
  'label',
  'canaryWeight',
  'version',
  'subject',
  'startedAt',
  'endedAt',
  'time',
  'message',
  'restored',
  'error',
  'decision',
  'failedChecksTotal',
  'verdict',
  'value',
  'threshold',
  'comparator',
  'samples',
  'count',
  'errors',
  'errorRate',
  'latency',
  'p50',
  'p90',
  'p95',
  'p99',
  'p99.9',
  'max',
  'mean',
  'rps',
  'steps',
  'stats',
  'checks',
  'events',
  'experiment',
  'environment',
  'spec',
];
const RANK = new Map(KEY_ORDER.map((k, i) => [k, i]));

function compareKeys(a: string, b: string): number {
  const ra = RANK.get(a) ?? Infinity;
  const rb = RANK.get(b) ?? Infinity;
  if (ra !== rb) return ra - rb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A copy of `value` whose objects have their keys in the stable order (arrays keep their order). */
export function orderKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(orderKeys);
  if (value === null || typeof value !== 'object') return value;
  // Objects with their own toJSON (Date) serialise as JSON.stringify would.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  // fromEntries defines each key as an own property: assigning out["__proto__"] would set the
  // prototype instead, and a user's label "__proto__" would vanish from result.json.
  return Object.fromEntries(Object.keys(value).sort(compareKeys).map((key) => [key, orderKeys((value as Record<string, unknown>)[key])]));
}

/**
 * Arrays under these keys have their elements written one to a line when an element is an object
 * of plain values: a run's timeline holds thousands of points, each of which would otherwise take
 * nine lines and twice the bytes.
 */
const ONE_LINE_ELEMENTS = new Set(['timeline']);

const isFlat = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => x === null || typeof x !== 'object');

/**
 * JSON.stringify with stable key order, two-space indent and a trailing newline; the elements of
 * a `timeline` array one to a line.
 */
export function stableStringify(value: unknown): string {
  const ordered = orderKeys(value);
  // Each one-line element is swapped for a marker string no data can hold (a random nonce), then
  // its compact text is put back in place of the marker's.
  const marker = `one-line ${randomUUID()} `;
  const compact: string[] = [];
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach(visit);
    for (const [key, child] of Object.entries(v)) {
      if (ONE_LINE_ELEMENTS.has(key) && Array.isArray(child)) {
        child.forEach((e, i) => {
          if (!isFlat(e)) return visit(e);
          compact.push(JSON.stringify(e));
          child[i] = `${marker}${compact.length - 1}`;
        });
      } else visit(child);
    }
  };
  visit(ordered);
  const text = JSON.stringify(ordered, null, 2);
  const out = compact.length === 0 ? text : text.replace(new RegExp(`"${marker}(\\d+)"`, 'g'), (_, i: string) => compact[Number(i)]!);
  return `${out}\n`;
}
