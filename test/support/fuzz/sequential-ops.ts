/**
 * Cases aimed at `analysis.mode: sequential` (issue 22): mostly valid settings with relative SLOs
 * (so runs start the per-second tests, and are interrupted while they look or just after a test
 * stopped a step), and near misses each must refuse, located: promoteEarly or nonInferiority with
 * mode fixed, mode sequential with only absolute SLOs, margins of 0%, absoluteConfidence out of (0.5, 1) or in mode fixed, an
 * unknown mode. The schema-driven ops reach each field too, but rarely with a relative SLO beside.
 */
import fc from 'fast-check';
import type { DataOp } from './mutate-data.js';

const option = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const relativeSlo = fc.oneof(
  fc.record({ kind: fc.constant('relative-error-rate'), allowedIncrease: option(fc.constantFrom('0%', '0.5%', '5%')), confidence: option(fc.constantFrom(0.9, 0.98, 0.99, 0.999)) }).map(defined),
  fc.record({ kind: fc.constant('relative-latency'), allowedIncrease: option(fc.constantFrom('1%', '10%')), confidence: option(fc.constantFrom(0.95, 0.99)) }).map(defined),
);
const absoluteSlo = fc.constantFrom({ kind: 'error-rate', subject: 'canary', max: '5%' }, { kind: 'latency', subject: 'all', max: '1s' });

const validAnalysis = fc
  .record({
    mode: fc.constant('sequential'),
    promoteEarly: option(fc.boolean()),
    nonInferiority: option(fc.record({ errorRate: option(fc.constantFrom('0.5%', '2%', '100%')), latency: option(fc.constantFrom('0.5%', '5%', '100%')) }).map(defined)),
  })
  .map(defined);
const nearMissAnalysis = fc.constantFrom(
  { promoteEarly: true },
  { mode: 'fixed', nonInferiority: {} },
  { mode: 'Sequential' },
  { mode: 'sequential', nonInferiority: { errorRate: '0%' } },
  { mode: 'sequential', nonInferiority: { latency: '0%' } },
  { mode: 'sequential', nonInferiority: { latency: 1.5 } },
  { mode: 'sequential', absoluteConfidence: 1 },
  { mode: 'fixed', absoluteConfidence: 0.99 },
  { mode: 'sequential', promoteEarly: 'yes' },
);

/** Ops that set `spec.analysis` (sequential or a near miss) and `spec.slos` (relative, absolute or both). */
export const sequentialOps: fc.Arbitrary<DataOp[]> = fc
  .record({
    analysis: fc.oneof({ arbitrary: validAnalysis, weight: 4 }, { arbitrary: nearMissAnalysis, weight: 1 }),
    slos: fc.oneof(
      { arbitrary: fc.array(relativeSlo, { minLength: 1, maxLength: 2 }), weight: 4 },
      { arbitrary: fc.tuple(relativeSlo, absoluteSlo), weight: 2 },
      { arbitrary: fc.array(absoluteSlo, { minLength: 1, maxLength: 1 }), weight: 1 },
    ),
  })
  .map(({ analysis, slos }) => [
    { op: 'set' as const, path: ['spec', 'analysis'], index: 0, value: analysis },
    { op: 'set' as const, path: ['spec', 'slos'], index: 0, value: slos },
  ]);
