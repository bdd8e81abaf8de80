/**
 * Human labels for steps and traffic states ("canary 25%", "fault delay 80ms on 50% for
 * end-user=jason"), used by the progress view, the report and `mesh-exp plan`.
 */
import type { HTTPMatchRequest, StringMatch } from '../istio/types.js';
import { formatDuration } from '../input/units.js';
import type { TrafficState } from './traffic-state.js';

function describeString(key: string, m: StringMatch): string {
  if (m.exact !== undefined) return `${key}=${m.exact}`;
  if (m.prefix !== undefined) return `${key}^=${m.prefix}`;
  if (m.regex !== undefined) return `${key}~/${m.regex}/`;
  return `${key} present`;
}

/** Describes a match list briefly: entries joined by " or ", conditions by " and ". */
export function describeMatch(match: HTTPMatchRequest[]): string {
  return match
    .map((entry) => {
      const parts: string[] = [];
      if (entry.uri) parts.push(describeString('uri', entry.uri));
      if (entry.method) parts.push(describeString('method', entry.method));
      if (entry.authority) parts.push(describeString('authority', entry.authority));
      for (const [k, v] of Object.entries(entry.headers ?? {})) parts.push(describeString(k, v));
      for (const [k, v] of Object.entries(entry.queryParams ?? {})) parts.push(describeString(`?${k}`, v));
      for (const [k, v] of Object.entries(entry.withoutHeaders ?? {})) parts.push(`not ${describeString(k, v)}`);
      return parts.join(' and ') || 'any request';
    })
    .join(' or ');
}

const pct = (n: number) => `${Number(n.toFixed(3))}%`;

/** Label of a traffic state, e.g. "canary 25%, mirror 100% to v2". Empty state: "original routes". */
export function describeState(state: TrafficState, canary: string): string {
  const parts: string[] = [];
  if (state.canaryWeight !== undefined) parts.push(`canary ${pct(state.canaryWeight)}`);
  if (state.abMatch) parts.push(`A/B ${describeMatch(state.abMatch)} → ${canary}`);
  if (state.fault) {
    const f = state.fault;
    const kinds: string[] = [];
    if (f.delayMs !== undefined) kinds.push(`delay ${formatDuration(f.delayMs)} on ${pct(f.delayPercent ?? 100)}`);
    if (f.abortStatus !== undefined) kinds.push(`abort ${f.abortStatus} on ${pct(f.abortPercent ?? 100)}`);
    const scope = [f.match ? ` for ${describeMatch(f.match)}` : '', f.subset ? ` to ${f.subset}` : ''].join('');
    parts.push(`fault ${kinds.join(' + ')}${scope}`);
  }
  if (state.mirror) parts.push(`mirror ${pct(state.mirror.percentage)} to ${state.mirror.subset}`);
  if (state.retries) parts.push(`retries ${state.retries.attempts}${state.retries.retryOn ? ` on ${state.retries.retryOn}` : ''}`);
  if (state.policy) {
    const p = state.policy;
    const fields = (['connectionPool', 'outlierDetection', 'loadBalancer'] as const).filter((k) => p[k] !== undefined);
    parts.push(`${fields.join(' + ')}${p.subset ? ` on ${p.subset}` : ''}`);
  }
  return parts.join(', ') || 'original routes';
}
