/**
 * The mesh-view SLOs of a step on the local mesh (providers local and local-attach): the mesh's
 * admin is read when the step's load starts and when it ends, and the difference is what the mesh
 * saw in the step. A reading that fails leaves those SLOs without data (with the reason): they are
 * judged, so a failure is never a silent pass.
 */
import type { SloSpec, TargetSpec } from '../experiment/schema.js';
import type { MetricMeasurement } from '../metrics/measure.js';
import { isMeshViewSlo, measurementOf, type MeshViewSlo } from '../metrics/mesh-view.js';
import { startCounterWindow } from './counter-window.js';
import { localSourceOf, tallyBetween, type MeshReading } from './mesh-counters.js';

/** Reads the local mesh's admin texts. */
export interface MeshAdminReader {
  /** GET /stats/prometheus. */
  metrics(): Promise<string>;
  /** GET /stats. */
  stats(): Promise<string>;
}

/** Options of {@link watchMeshView}. */
export interface MeshViewOptions {
  /** Every SLO of the experiment (only the mesh-view kinds are measured). */
  slos: readonly SloSpec[];
  /** The experiment's target (host, namespace, subsets). */
  target: TargetSpec;
  /** The mesh's admin; undefined for a cluster provider (Prometheus measures them there). */
  reader: MeshAdminReader | undefined;
  /** Stops the readings. */
  signal: AbortSignal;
}

const unread = (slos: readonly MeshViewSlo[], why: string): Map<SloSpec, MetricMeasurement> =>
  new Map(slos.map((slo) => [slo, { value: null, query: localSourceOf(slo), noDataReason: `could not read the mesh's admin: ${why}` }]));

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Takes the first reading now; `end()` takes the second and measures each mesh-view SLO.
 * Undefined when the experiment has none or nothing can read the mesh.
 */
export async function watchMeshView(o: MeshViewOptions): Promise<{ end(): Promise<Map<SloSpec, MetricMeasurement>> } | undefined> {
  const slos = o.slos.filter(isMeshViewSlo);
  const { reader } = o;
  if (!slos.length || !reader) return undefined;
  const read = async (): Promise<MeshReading> => {
    const [metrics, stats] = await Promise.all([reader.metrics(), reader.stats()]);
    return { metrics, stats };
  };
  let window: Awaited<ReturnType<typeof startCounterWindow<MeshReading>>>;
  try {
    window = await startCounterWindow({ read, signal: o.signal });
  } catch (err) {
    // Stopped by a signal: the step is abandoned (the caller checks the signal), nothing to judge.
    if (o.signal.aborted) return undefined;
    const why = message(err);
    return { end: async () => unread(slos, why) };
  }
  return {
    async end() {
      let readings;
      try {
        readings = await window.end();
      } catch (err) {
        return o.signal.aborted ? new Map() : unread(slos, message(err));
      }
      const { before, after } = readings;
      return new Map(slos.map((slo) => [slo, measurementOf(slo, tallyBetween(slo, before, after, o.target), localSourceOf(slo))]));
    },
  };
}

/** The outlier events of a mesh (the in-process one keeps its last 100, oldest first). */
export interface OutlierEventSource {
  outlierEvents?(): ReadonlyArray<{ message: string }>;
}

/** Most events listed per step; the rest are counted. */
const MAX_EVENTS = 10;

/**
 * The ejections and returns of a step, for its events (the report's timeline): remembers the
 * mesh's events when the load starts; `end()` gives the lines of those that came after. Only when
 * the experiment judges ejections and the mesh is in-process (the admin API does not serve them).
 */
export function watchOutlierEvents(slos: readonly SloSpec[], mesh: OutlierEventSource | undefined): { end(): string[] } | undefined {
  if (!mesh?.outlierEvents || !slos.some((s) => s.kind === 'ejections')) return undefined;
  const seen = new Set(mesh.outlierEvents());
  return {
    end() {
      const fresh = (mesh.outlierEvents?.() ?? []).filter((e) => !seen.has(e)).map((e) => e.message);
      return fresh.length > MAX_EVENTS ? [...fresh.slice(0, MAX_EVENTS), `${fresh.length - MAX_EVENTS} more outlier events`] : fresh;
    },
  };
}
