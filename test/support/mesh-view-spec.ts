/**
 * A parsed provider-istio experiment spec with the given SLOs and metrics.prometheus, for tests of
 * the mesh-view SLOs measured from Prometheus.
 */
import { experimentSpecSchema, type Experiment, type ExperimentInput } from '../../src/experiment/schema.js';

/** The spec: reviews v1 → v2 on provider istio, Prometheus with its defaults, these SLOs. */
export function istioSpecWithSlos(slos: ExperimentInput['spec']['slos']): Experiment['spec'] {
  return experimentSpecSchema.parse({
    target: { provider: 'istio', virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v2' },
    traffic: { shift: { steps: [50] } },
    load: { url: 'http://127.0.0.1:8080/' },
    metrics: { prometheus: {} },
    slos,
  });
}
