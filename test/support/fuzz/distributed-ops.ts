/**
 * Cases aimed at `load.distributed` (issue 19 part 5): the shipped experiments all use provider
 * local, where any distributed field is refused at once; these ops also switch the target to a
 * Kubernetes provider and the generator to one with a cluster form, so the distributed fields'
 * own checks (replicas, image reference, namespace, quantities, rate per pod) and the run's
 * kubeconfig lookup are reached, with valid values and near misses.
 */
import fc from 'fast-check';
import type { DataOp } from './mutate-data.js';
import type { SchemaField } from './schema-fields.js';
import { valueFor } from './schema-values.js';

const DISTRIBUTED = ['spec', 'load', 'distributed'];

/** Values each distributed field gets refused for (or accepted at its edge). */
const NEAR_MISSES: Record<string, unknown[]> = {
  replicas: [0, 1, 1000, 1001, 2.5, -1, '3'],
  image: ['Bad Image', 'UPPER/case', 'x:', 'a//b', 'vegeta', 'localhost:5000/vegeta:v12.13.0', `x/y@sha256:${'0'.repeat(64)}`, 'x'.repeat(513)],
  namespace: ['Load_NS', 'a'.repeat(64), '-load', 'load-', 'load'],
  cpu: ['1.2.3', 'lots', '1 Gi', '-1', '500m', '0', '.5', '2e3'],
  memory: ['1GB', 'Mi', '256Mi', '1.5Gi', '+1'],
  url: ['http://reviews.shop.svc.cluster.local/', 'ftp://x/', 'not a url'],
};

const set = (path: string[], value: unknown): DataOp => ({ op: 'set', path, index: 0, value });

/**
 * What else a distributed experiment needs to pass validation (Prometheus, prometheus SLOs only,
 * no early abort, no local section), so a share of the cases
 * gets past validate into run's kubeconfig lookup and preflight.
 */
const COMPLETE: DataOp[] = [
  { op: 'unset', path: ['spec', 'local'] },
  // Port 2: closed here, and not one fetch refuses to connect to (9 is).
  set(['spec', 'metrics'], { prometheus: { address: 'http://127.0.0.1:2' } }),
  set(['spec', 'slos'], [{ kind: 'prometheus', builtin: 'request-success-rate', subject: 'canary', min: 99 }]),
  set(['spec', 'analysis', 'abortWhen'], []),
  set([...DISTRIBUTED, 'image'], 'registry.example.com/tools/vegeta:12.13.0'),
];

/** Ops that make the experiment a distributed one (provider, generator), then set its fields. */
export function distributedOps(fields: readonly SchemaField[]): fc.Arbitrary<DataOp[]> {
  const own = fields.filter((f) => DISTRIBUTED.every((step, i) => f.path[i] === step) && f.path.length > DISTRIBUTED.length);
  const fieldOp = fc.oneof(
    ...own.map((f) => {
      const misses = NEAR_MISSES[f.path.at(-1)!];
      const value = misses ? fc.oneof(valueFor(f.schema, 'valid'), fc.constantFrom(...misses)) : valueFor(f.schema, 'valid');
      return value.map((v) => set(f.path, v));
    }),
  );
  return fc
    .record({
      // Mostly what can pass (the shipped experiments act on a VirtualService, and send tens of
      // requests a second), with every refusal still drawn.
      provider: fc.oneof({ arbitrary: fc.constant('istio'), weight: 4 }, { arbitrary: fc.constantFrom('gateway-api', 'local'), weight: 1 }),
      generator: fc.oneof({ arbitrary: fc.constantFrom('vegeta', 'k6'), weight: 4 }, { arbitrary: fc.constant('builtin'), weight: 1 }),
      replicas: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 10 }), weight: 4 }, fc.integer({ min: 1, max: 1000 }), fc.constantFrom(...NEAR_MISSES['replicas']!)),
      fields: fc.array(fieldOp, { maxLength: 3 }),
      complete: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, fc.constant(false)),
    })
    .map(({ provider, generator, replicas, fields: ops, complete }) => [
      ...(complete ? COMPLETE : []),
      set(['spec', 'target', 'provider'], provider),
      set(['spec', 'load', 'generator'], generator),
      set([...DISTRIBUTED, 'replicas'], replicas),
      ...ops,
    ]);
}
