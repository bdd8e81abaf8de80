/**
 * Metric sources by name. Adding one = a folder with its factory plus one `register` line in
 * {@link createDefaultMetricSourceRegistry}.
 */
import { createRegistry, type Registry } from '../registry.js';
import { createPrometheusSource, type PrometheusSourceOptions } from './prometheus/prometheus-source.js';
import type { MetricSource } from './types.js';

/** Makes a source from its spec section. */
export type MetricSourceFactory = (options: PrometheusSourceOptions) => MetricSource;

/** Sources by name (the shared registry rules of `src/registry.ts`), plus `create`. */
export interface MetricSourceRegistry extends Registry<MetricSourceFactory> {
  /** Creates the source `name`; a UsageError (exit 2) with a "did you mean" hint when there is none. */
  create(name: string, options: PrometheusSourceOptions): MetricSource;
}

/** Creates an empty registry. */
export function createMetricSourceRegistry(): MetricSourceRegistry {
  const registry = createRegistry<MetricSourceFactory>({ kind: 'metric source', plural: 'sources' });
  return { ...registry, create: (name, options) => registry.get(name)(options) };
}

/** The sources mesh-exp ships: "prometheus". */
export function createDefaultMetricSourceRegistry(): MetricSourceRegistry {
  const registry = createMetricSourceRegistry();
  registry.register('prometheus', createPrometheusSource);
  return registry;
}
