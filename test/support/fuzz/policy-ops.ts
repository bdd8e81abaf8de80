/**
 * Cases aimed at `traffic.retries` and `traffic.policy`: mostly valid Istio settings on the subsets
 * the shipped manifests define (so many such files validate and run, and the run applies the
 * DestinationRule change and must restore it when interrupted), and near misses each field must
 * refuse, located: a subset or rule that is not there, settings that exclude each other, bad
 * durations and numbers. The schema-driven ops of `case-arbitraries.ts` reach every field too, but
 * rarely with a whole valid policy (its "one of" rules are not in the JSON Schema).
 */
import fc from 'fast-check';
import type { DataOp } from './mutate-data.js';

const duration = fc.constantFrom('1ms', '100ms', '1s', '1.5s', '1m30s');
const count = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const small = fc.integer({ min: 0, max: 20 });
const option = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const connectionPool = fc
  .record({
    tcp: option(fc.record({ maxConnections: option(small), connectTimeout: option(duration) }).map(defined)),
    http: option(fc.record({ http1MaxPendingRequests: option(small), http2MaxRequests: option(count), maxRequestsPerConnection: option(small), maxRetries: option(small), idleTimeout: option(duration) }).map(defined)),
  })
  .map(defined)
  .filter((c) => Object.keys(c).length > 0);
const outlierDetection = fc
  .record({ consecutive5xxErrors: option(small), consecutiveGatewayErrors: option(small), interval: option(duration), baseEjectionTime: option(duration), maxEjectionPercent: option(fc.integer({ min: 0, max: 100 })) })
  .map(defined);
const loadBalancer = fc.oneof(
  fc.record({ simple: fc.constantFrom('ROUND_ROBIN', 'RANDOM', 'LEAST_REQUEST', 'LEAST_CONN') }),
  fc.record({ consistentHash: fc.oneof(fc.record({ httpHeaderName: fc.constantFrom('x-user', 'end-user') }), fc.record({ useSourceIp: fc.constant(true) }), fc.record({ httpHeaderName: fc.constant('x-user'), ringHash: fc.record({ minimumRingSize: fc.integer({ min: 1, max: 4096 }) }) })) }),
);

const validPolicy = fc
  .record({
    subset: option(fc.constantFrom('v1', 'v2')),
    destinationRule: option(fc.constant('reviews')),
    connectionPool: option(connectionPool),
    outlierDetection: option(outlierDetection),
    loadBalancer: option(loadBalancer),
    duration: option(fc.constantFrom('100ms', '500ms', '1s')),
  })
  .map(defined)
  .filter((p) => p['connectionPool'] !== undefined || p['outlierDetection'] !== undefined || p['loadBalancer'] !== undefined);
const validRetries = fc.record({ attempts: small, perTryTimeout: option(duration), retryOn: option(fc.constantFrom('5xx', 'gateway-error,reset', '503', 'connect-failure,refused-stream')) }).map(defined);

/** What each field gets refused for. */
const nearMissPolicy = fc.oneof(
  fc.record({ subset: fc.constantFrom('v9', '', 'V2'), connectionPool: fc.constant({ tcp: { maxConnections: 1 } }) }),
  fc.record({ destinationRule: fc.constantFrom('ratings', 'reveiws', 'Reviews', ''), outlierDetection: fc.constant({ consecutive5xxErrors: 1 }) }),
  fc.constant({}),
  fc.constant({ connectionPool: {} }),
  fc.record({ loadBalancer: fc.constantFrom({}, { simple: 'ROUND_ROBIN', consistentHash: { useSourceIp: true } }, { consistentHash: { httpHeaderName: 'a', ringHash: {}, maglev: {} } }, { consistentHash: {} }) }),
  fc.record({ outlierDetection: fc.constantFrom({ interval: '10' }, { interval: '-1s' }, { maxEjectionPercent: 101 }, { consecutive5xxErrors: -1 }, { consecutive5xxErrors: 2 ** 31 }) }),
);
const nearMissRetries = fc.constantFrom({}, { attempts: -1 }, { attempts: 1.5 }, { attempts: 2, retryOn: '5xx,,reset' }, { attempts: 2, perTryTimeout: '2' }, { attempts: 2, retryOn: 'FIVE' });

/** Ops that set `spec.traffic.retries`, `spec.traffic.policy` or both, mostly valid. */
export const policyOps: fc.Arbitrary<DataOp[]> = fc
  .record({
    retries: option(fc.oneof({ arbitrary: validRetries, weight: 4 }, { arbitrary: nearMissRetries, weight: 1 })),
    policy: option(fc.oneof({ arbitrary: validPolicy, weight: 4 }, { arbitrary: nearMissPolicy, weight: 1 })),
  })
  .filter((r) => r.retries !== undefined || r.policy !== undefined)
  .map(({ retries, policy }) => [
    ...(retries !== undefined ? [{ op: 'set' as const, path: ['spec', 'traffic', 'retries'], index: 0, value: retries }] : []),
    ...(policy !== undefined ? [{ op: 'set' as const, path: ['spec', 'traffic', 'policy'], index: 0, value: policy }] : []),
  ]);
