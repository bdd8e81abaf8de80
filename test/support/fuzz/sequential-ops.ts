/**
 * Cases aimed at `analysis.mode: sequential` (issue 22): mostly valid settings with relative SLOs
 * (so runs start the per-second tests, and are interrupted while they look or just after a test
 * stopped a step), and near misses each must refuse, located: promoteEarly or nonInferiority with
 * mode fixed, mode sequential with only absolute SLOs, margins of 0%, absoluteConfidence out of (0.5, 1) or in mode fixed, an
 * unknown mode; prometheus SLOs (the canary's built-ins, tested on Prometheus's counters, and
 * others that are not) with metrics.prometheus.scrapeInterval, valid or a near miss. The schema-driven ops reach each field too, but rarely with a relative SLO beside.
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
// The canary's Prometheus built-ins (tested on Prometheus's counters), a custom query (not tested), and the stable's.
const prometheusSlo = fc.constantFrom(
  { kind: 'prometheus', builtin: 'request-success-rate', min: 99 },
  { kind: 'prometheus', builtin: 'request-duration', max: 250 },
  { kind: 'prometheus', builtin: 'request-duration', max: 1e9 },
  { kind: 'prometheus', query: 'sum(up)', min: 1 },
  { kind: 'prometheus', builtin: 'request-success-rate', subject: 'stable', min: 100 },
);
// Where the prometheus SLOs are read, and how often (near misses: 0s, a bare number, a word); nothing listens at port 2, so preflight refuses the runs.
const metrics = fc.record({ scrapeInterval: option(fc.constantFrom('1s', '15s', '250ms', '0s', 5, 'often')) }).map((p) => ({ prometheus: { address: 'http://127.0.0.1:2', ...defined(p) } }));

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
      { arbitrary: fc.tuple(prometheusSlo, fc.oneof(relativeSlo, prometheusSlo)), weight: 1 },
    ),
    metrics: option(metrics),
  })
  .map(({ analysis, slos, metrics }) => [
    { op: 'set' as const, path: ['spec', 'analysis'], index: 0, value: analysis },
    { op: 'set' as const, path: ['spec', 'slos'], index: 0, value: slos },
    ...(metrics ? [{ op: 'set' as const, path: ['spec', 'metrics'], index: 0, value: metrics }] : []),
  ]);
