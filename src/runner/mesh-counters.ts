/**
 * The local mesh's own counts for the mesh-view SLOs at one moment, from its admin texts: Istio's
 * `istio_requests_total` (GET /stats/prometheus) for response flags, Envoy's per-cluster stats
 * (GET /stats) for ejections and retries. Two readings, diffed, give a step's tally.
 */
import type { TargetSpec } from '../experiment/schema.js';
import { hasResponseFlag } from '../experiment/response-flags.js';
import { parsePrometheusText } from '../mesh/telemetry/prom-parse.js';
import { CLUSTER_STAT, isSubjectCluster, targetFqdn, type MeshTally, type MeshViewSlo } from '../metrics/mesh-view.js';
import { counterIncrease } from './counter-window.js';

/** What the mesh's admin answered at one moment. */
export interface MeshReading {
  /** GET /stats/prometheus. */
  metrics: string;
  /** GET /stats (Envoy's `cluster.<name>.<stat>: <value>` lines). */
  stats: string;
}

/** One `cluster.<name>.<stat>` value of an Envoy /stats text. */
interface ClusterStat {
  cluster: string;
  stat: string;
  value: number;
}

const WANTED_STATS = Object.values(CLUSTER_STAT);

/**
 * The wanted stats of an Envoy /stats text. Cluster names hold dots and pipes
 * ("outbound|80|v2|reviews.default.svc.cluster.local"), so the stat is found by its known name at
 * the end of the line's key, not by splitting on dots.
 */
export function parseClusterStats(text: string): ClusterStat[] {
  const out: ClusterStat[] = [];
  for (const line of text.split('\n')) {
    const colon = line.lastIndexOf(': ');
    if (!line.startsWith('cluster.') || colon < 0) continue;
    const key = line.slice('cluster.'.length, colon);
    const stat = WANTED_STATS.find((s) => key.endsWith(`.${s}`));
    const value = Number(line.slice(colon + 2));
    if (stat && Number.isFinite(value)) out.push({ cluster: key.slice(0, -(stat.length + 1)), stat, value });
  }
  return out;
}

type Target = Pick<TargetSpec, 'host' | 'namespace' | 'stable' | 'canary'>;

/** The cumulative tally of one SLO at the moment `reading` was taken. */
export function tallyAt(slo: MeshViewSlo, reading: MeshReading, target: Target): MeshTally {
  if (slo.kind === 'response-flag') {
    const fqdn = targetFqdn(target);
    const version = slo.subject === 'canary' ? target.canary : slo.subject === 'stable' ? target.stable : undefined;
    let part = 0;
    let whole = 0;
    for (const s of parsePrometheusText(reading.metrics).samples) {
      if (s.name !== 'istio_requests_total' || s.labels['reporter'] !== 'source') continue;
      const service = s.labels['destination_service'] ?? '';
      if (service !== fqdn && !service.startsWith(`${fqdn}.`)) continue;
      if (version !== undefined && s.labels['destination_version'] !== version) continue;
      whole += s.value;
      if (hasResponseFlag(s.labels['response_flags'] ?? '-', slo.flag)) part += s.value;
    }
    return { part, whole };
  }
  const sum = (stat: string) => parseClusterStats(reading.stats).reduce((n, s) => (s.stat === stat && isSubjectCluster(s.cluster, slo.subject, target) ? n + s.value : n), 0);
  if (slo.kind === 'ejections') return { part: sum(CLUSTER_STAT.ejections), whole: null };
  return { part: sum(CLUSTER_STAT.retrySuccesses), whole: sum(CLUSTER_STAT.retries) };
}

/** The tally of the window between two readings (counter resets handled as Prometheus does). */
export function tallyBetween(slo: MeshViewSlo, before: MeshReading, after: MeshReading, target: Target): MeshTally {
  const a = tallyAt(slo, before, target);
  const b = tallyAt(slo, after, target);
  return { part: counterIncrease(a.part, b.part), whole: b.whole === null ? null : counterIncrease(a.whole ?? 0, b.whole) };
}

/** Where the counts of `slo` come from, for the check's record ("the local mesh's /stats: ..."). */
export function localSourceOf(slo: MeshViewSlo): string {
  if (slo.kind === 'response-flag') return `local mesh GET /stats/prometheus: istio_requests_total{reporter="source"} with response_flags ${slo.flag}, ${slo.subject}`;
  const stats = slo.kind === 'ejections' ? CLUSTER_STAT.ejections : `${CLUSTER_STAT.retrySuccesses} / ${CLUSTER_STAT.retries}`;
  return `local mesh GET /stats: ${stats} of the ${slo.subject}'s cluster${slo.subject === 'all' ? 's' : ''}`;
}
