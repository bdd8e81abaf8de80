/**
 * Outlier detection as the mesh reports it: Envoy's per-cluster counters as `[name, value]` pairs
 * (for the admin `/stats` output, `cluster.<cluster>.<name>` in Envoy's naming), and a bounded log
 * of recent ejections and returns.
 */
import type { OutlierEvent } from '../endpoints/outlier-detector.js';
import type { ServiceRegistry } from './clusters.js';

/** Counters of every cluster that has outlier detection, by cluster name. */
export function outlierStatsOf(registry: ServiceRegistry | undefined): Map<string, [string, number][]> {
  const out = new Map<string, [string, number][]>();
  if (!registry) return out;
  for (const svc of registry.services.values()) {
    for (const c of [svc.all, ...svc.subsets.values()]) {
      const od = c.lb.outlier;
      if (od) out.set(c.name, Object.entries(od.counters));
    }
  }
  return out;
}

/** A ring of the most recent outlier events. */
export interface OutlierEventLog {
  /** Adds one event, dropping the oldest past capacity. */
  push(e: OutlierEvent): void;
  /** The events kept, oldest first. */
  list(): OutlierEvent[];
}

/** Creates a log keeping the last `capacity` events. */
export function createOutlierEventLog(capacity = 100): OutlierEventLog {
  const ring: OutlierEvent[] = [];
  let start = 0;
  return {
    push(e) {
      if (ring.length < capacity) ring.push(e);
      else {
        ring[start] = e;
        start = (start + 1) % capacity;
      }
    },
    list: () => [...ring.slice(start), ...ring.slice(0, start)],
  };
}
