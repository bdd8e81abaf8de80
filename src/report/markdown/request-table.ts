/**
 * summary.md's figures per named request (`load.requests`): one row per step, request and version.
 * Shown only when the load has more than one request, so a single-request summary is unchanged.
 */
import { versionLabel } from '../../analysis/subject.js';
import type { RunResult } from '../../model/result.js';
import { errorRateCell, latencyCell } from '../present.js';
import { escapeMarkdown as md } from './escape.js';

/** Whether the run reported more than one request name (then the per-request tables are shown). */
export function hasNamedRequests(result: RunResult): boolean {
  return result.steps.some((s) => (s.requests?.length ?? 0) > 1);
}

/** The section (heading, table, blank line), or no lines for a single-request load. */
export function requestLines(result: RunResult): string[] {
  if (!hasNamedRequests(result)) return [];
  const rows = result.steps.flatMap((step) =>
    (step.requests ?? []).flatMap((r) =>
      r.stats.map((s) => `| ${step.index + 1} | ${md(r.name)} | ${md(s.version === 'all' ? 'all' : versionLabel(s.version))} | ${s.count} | ${md(errorRateCell(s))} | ${md(latencyCell(s.latency.p50))} | ${md(latencyCell(s.latency.p99))} |`),
    ),
  );
  return ['**Per request**', '', '| Step | Request | Version | Requests | Error rate | p50 | p99 |', '|---:|---|---|---:|---:|---:|---:|', ...rows, ''];
}
