/**
 * The mesh-side half of a step: Prometheus's view, taken after the step's load. It measures the
 * prometheus SLOs (judged with the others), the mesh-view SLOs when no local mesh can, and, for the report, the two Flagger built-ins per
 * version, so the client's view and the mesh's view of each version stand side by side.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context } from '../context.js';
import { measureMetricSlos, type MetricMeasurement, type PrometheusSlo } from '../metrics/measure.js';
import { measureMeshViewSlos } from '../metrics/measure-mesh-view.js';
import type { MetricSource } from '../metrics/types.js';
import type { PrometheusSpec, SloSpec, TargetSpec } from '../experiment/schema.js';
import type { MeshView } from '../model/result.js';

/** Options of {@link measureMeshSide}. */
export interface MeshSideOptions {
  /** The source (Prometheus). */
  source: MetricSource;
  /** Its spec section. */
  prometheus: PrometheusSpec;
  /** Target of the experiment. */
  target: TargetSpec;
  /** All SLOs (only prometheus ones are measured). */
  slos: readonly SloSpec[];
  /** The mesh-view SLOs (response-flag, ejections, retry-success-rate) are measured here too: true when the local mesh's admin cannot (a cluster provider). @default false */
  meshView?: boolean;
  /** When the step's load started, epoch ms: the queries' range reaches back to it. */
  startedAt: number;
  /** Clock, signal and logger. */
  ctx: Context;
}

/** What the mesh side measured in a step. */
export interface MeshSide {
  /** Per prometheus SLO. */
  measurements: Map<SloSpec, MetricMeasurement>;
  /** Per version, for the report; empty when Prometheus could not say. */
  view: MeshView[];
}

const builtin = (subject: 'stable' | 'canary', name: PrometheusSlo['builtin']): PrometheusSlo => ({ kind: 'prometheus', subject, builtin: name });

/** Waits `settle`, then queries; SLO query errors are thrown, report-only queries are logged. */
export async function measureMeshSide(o: MeshSideOptions): Promise<MeshSide> {
  if (o.prometheus.settle > 0) await sleep(o.prometheus.settle, undefined, { signal: o.ctx.signal });
  const timeMs = o.ctx.clock.now();
  // The range ends now (after the settle wait) and starts where the step's load started, so it
  // holds the whole step and nothing of the step before.
  const windowMs = timeMs - o.startedAt;
  const common = { source: o.source, target: o.target, prometheus: o.prometheus, windowMs, timeMs, signal: o.ctx.signal };
  const measurements = await measureMetricSlos({ ...common, slos: o.slos });
  if (o.meshView) for (const [slo, m] of await measureMeshViewSlos({ ...common, slos: o.slos })) measurements.set(slo, m);
  // A built-in an SLO already measured for the same subject is the same query at the same time:
  // reuse it rather than asking Prometheus twice.
  const measured = (subject: 'stable' | 'canary', name: PrometheusSlo['builtin']): MetricMeasurement | undefined => {
    const slo = o.slos.find((s) => s.kind === 'prometheus' && s.subject === subject && s.builtin === name);
    return slo ? measurements.get(slo) : undefined;
  };
  const view: MeshView[] = [];
  for (const subject of ['stable', 'canary'] as const) {
    const wanted = (['request-success-rate', 'request-duration'] as const).map((name) => ({ name, known: measured(subject, name), slo: builtin(subject, name) }));
    try {
      const missing = wanted.filter((w) => w.known === undefined).map((w) => w.slo);
      const m = missing.length ? await measureMetricSlos({ ...common, slos: missing }) : new Map<SloSpec, MetricMeasurement>();
      const value = (i: number) => (wanted[i]!.known ?? m.get(wanted[i]!.slo))?.value ?? null;
      view.push({ version: subject === 'stable' ? o.target.stable : o.target.canary, successRatePercent: value(0), p99Ms: value(1) });
    } catch (err) {
      if (o.ctx.signal.aborted) throw err;
      o.ctx.logger.warn(`Prometheus view of ${subject} for the report: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { measurements, view };
}
