/**
 * Cases aimed at the mesh-view SLOs (response-flag, ejections, retry-success-rate) and the demo
 * backend's `errorStatus` and `failing` replicas: mostly valid SLO lists and backends (so runs
 * read the mesh's admin at load start and end, and are interrupted while doing it), and near
 * misses each must refuse, located: unknown flags, missing bounds, counts that are not whole, a
 * flag no version carries under subject canary, more failing replicas than replicas.
 */
import fc from 'fast-check';
import type { DataOp } from './mutate-data.js';

const percent = fc.constantFrom('0%', '0.5%', '1%', '30%', '90%', '100%');
const option = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const bounded = <T>(a: fc.Arbitrary<T>) =>
  fc
    .record({ min: option(a), max: option(a) })
    .map(defined)
    .filter((b) => Object.keys(b).length > 0);

const validSlo = fc.oneof(
  fc.tuple(fc.record({ kind: fc.constant('response-flag'), flag: fc.constantFrom('UO', 'UH', 'URX', 'UT', 'UF', 'DI') }), bounded(percent)).map(([k, b]) => ({ ...k, ...b })),
  fc.tuple(fc.record({ kind: fc.constant('response-flag'), flag: fc.constantFrom('URX', 'UT', 'DI'), subject: fc.constantFrom('canary', 'stable') }), bounded(percent)).map(([k, b]) => ({ ...k, ...b })),
  fc.tuple(fc.record({ kind: fc.constant('ejections'), subject: fc.constantFrom('canary', 'stable', 'all') }), bounded(fc.integer({ min: 0, max: 5 }))).map(([k, b]) => ({ ...k, ...b })),
  fc.tuple(fc.record({ kind: fc.constant('retry-success-rate'), subject: fc.constantFrom('canary', 'stable', 'all') }), bounded(percent)).map(([k, b]) => ({ ...k, ...b })),
);
const nearMissSlo = fc.constantFrom(
  { kind: 'response-flag', flag: 'XX', max: '1%' },
  { kind: 'response-flag', flag: 'uo', max: '1%' },
  { kind: 'response-flag', flag: 'UO' },
  { kind: 'response-flag', flag: 'UO', subject: 'canary', max: '30%' },
  { kind: 'response-flag', flag: 'UO', max: 0.3 },
  { kind: 'ejections', min: -1 },
  { kind: 'ejections', min: 1.5 },
  { kind: 'ejections', max: '1' },
  { kind: 'retry-success-rate', min: '101%' },
  { kind: 'retry-success-rate' },
);

const validDemo = fc
  .record({
    errorRate: option(percent),
    errorStatus: option(fc.constantFrom(500, 503, 502, 429)),
    failing: option(fc.record({ replicas: fc.integer({ min: 1, max: 2 }), errorRate: option(percent), errorStatus: option(fc.integer({ min: 400, max: 599 })) }).map(defined)),
  })
  .map(defined);
const nearMissDemo = fc.constantFrom(
  { errorStatus: 200 },
  { errorStatus: 600 },
  { errorStatus: 503.5 },
  { failing: { replicas: 9 } },
  { failing: { replicas: 0 } },
  { failing: {} },
  { failing: { replicas: 1, errorStatus: 302 } },
);

/** Ops that set `spec.slos` to mesh-view SLOs and, often, v2's backend to a demo with error settings. */
export const meshViewOps: fc.Arbitrary<DataOp[]> = fc
  .record({
    slos: fc.array(fc.oneof({ arbitrary: validSlo, weight: 4 }, { arbitrary: nearMissSlo, weight: 1 }), { minLength: 1, maxLength: 3 }),
    demo: option(fc.oneof({ arbitrary: validDemo, weight: 4 }, { arbitrary: nearMissDemo, weight: 1 })),
    replicas: fc.integer({ min: 1, max: 3 }),
  })
  .map(({ slos, demo, replicas }) => [
    { op: 'set' as const, path: ['spec', 'slos'], index: 0, value: slos },
    ...(demo !== undefined ? [{ op: 'set' as const, path: ['spec', 'local', 'backends'], index: 0, value: [{ host: 'reviews', subset: 'v2', replicas, demo }] }] : []),
  ]);
