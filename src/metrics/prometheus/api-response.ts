/**
 * Reads Prometheus HTTP API responses (`/api/v1/query`) into {@link MetricSeries}. Pure, so the
 * shapes Prometheus documents are tested without a server; the real server is in test/integration.
 */
import type { MetricSeries } from '../types.js';

/** A parsed answer: series, or Prometheus's own error. */
export type ParsedQueryResponse = { ok: true; series: MetricSeries[] } | { ok: false; error: string };

type Sample = [number, string];
interface ApiBody {
  status?: string;
  error?: string;
  errorType?: string;
  data?: { resultType?: string; result?: unknown };
}

// Prometheus writes sample values as strings, including "NaN", "+Inf" and "-Inf".
function sampleValue(s: unknown): number {
  const v = Array.isArray(s) ? (s as Sample)[1] : undefined;
  if (v === '+Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  return typeof v === 'string' ? Number(v) : Number.NaN;
}

/** Parses the JSON body of an instant query. */
export function parseQueryResponse(body: unknown): ParsedQueryResponse {
  const b = body as ApiBody | null;
  if (!b || typeof b !== 'object') return { ok: false, error: 'the answer is not a JSON object' };
  if (b.status !== 'success') return { ok: false, error: `${b.errorType ?? 'error'}: ${b.error ?? 'no message'}` };
  const type = b.data?.resultType;
  const result = b.data?.result;
  if (type === 'scalar') return { ok: true, series: [{ labels: {}, value: sampleValue(result) }] };
  if (type === 'vector' && Array.isArray(result)) {
    return {
      ok: true,
      series: result.map((r: { metric?: Record<string, string>; value?: unknown }) => ({ labels: r.metric ?? {}, value: sampleValue(r.value) })),
    };
  }
  return { ok: false, error: `expected an instant vector or scalar, got ${type ?? 'nothing'} (a range selector [..] needs a function such as rate() around it)` };
}

/** `{a="1", b="2"}` for messages; `{}` for a series without labels. */
export function formatLabels(labels: Record<string, string>): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')}}`;
}
