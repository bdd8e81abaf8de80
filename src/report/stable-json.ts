/**
 * Deterministic JSON: the same data always gives the same bytes, whatever order its keys were
 * inserted in, so result.json files diff cleanly between runs.
 */

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

/** JSON.stringify with stable key order, two-space indent and a trailing newline. */
export function stableStringify(value: unknown): string {
  return `${JSON.stringify(orderKeys(value), null, 2)}\n`;
}
