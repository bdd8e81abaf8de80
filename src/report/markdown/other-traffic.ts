/**
 * summary.md's rows for the traffic its step table cannot explain: requests no subset answered
 * (the mesh's own fault aborts, responses without a version header) and the copies a mirror
 * received (measured by the mesh: no client saw them). Shown only when a run has some, so an
 * ordinary summary stays short.
 */
import { FAULT_ABORT_VERSION, mirroredLabel, UNKNOWN_VERSION, versionLabel } from '../../analysis/subject.js';
import type { RunResult } from '../../model/result.js';
import { errorRateCell, latencyCell } from '../present.js';
import { escapeMarkdown as md } from './escape.js';

const EXPLAINED: Record<string, string> = {
  [FAULT_ABORT_VERSION]: 'the fault injection aborted them before any backend',
  [UNKNOWN_VERSION]: 'no version header came back (connection errors, timeouts, answers the mesh gives itself, such as circuit-breaker overflow 503 UO, a backend that does not set it)',
};

/** The section (heading, table, blank line), or no lines when every request was answered by a subset. */
export function otherTrafficLines(result: RunResult): string[] {
  const rows = result.steps.flatMap((step) =>
    step.stats
      .filter((s) => s.count > 0 && EXPLAINED[s.version] !== undefined)
      .map((s) => `| ${step.index + 1} | ${md(versionLabel(s.version))} | ${s.count} | ${md(errorRateCell(s))} | ${md(latencyCell(s.latency.p50))} | ${md(latencyCell(s.latency.p99))} | ${md(EXPLAINED[s.version])} |`),
  );
  if (rows.length === 0) return [];
  return ['**Requests no subset answered**', '', '| Step | Answered by | Requests | Error rate | p50 | p99 | Why |', '|---:|---|---:|---:|---:|---:|---|', ...rows, ''];
}

/** The mirrored-traffic section (heading, table, blank line), or no lines when no step mirrored. */
export function mirroredTrafficLines(result: RunResult): string[] {
  const rows = result.steps.flatMap((step) => {
    const m = step.mirrored;
    return m ? [`| ${step.index + 1} | ${md(mirroredLabel(m.version))} | ${m.count} | ${md(errorRateCell(m))} | ${md(latencyCell(m.latency.p50))} | ${md(latencyCell(m.latency.p99))} |`] : [];
  });
  if (rows.length === 0) return [];
  return [
    '**Mirrored (shadow) traffic, measured by the mesh**: copies of the requests, whose answers no client saw (latencies interpolated within Istio\'s buckets)',
    '',
    '| Step | Traffic | Requests | Error rate | p50 | p99 |',
    '|---:|---|---:|---:|---:|---:|',
    ...rows,
    '',
  ];
}
