import { describe, expect, it } from 'vitest';
import { formatLabels, parseQueryResponse } from './api-response.js';

describe('Prometheus API responses', () => {
  it('reads vectors, keeping NaN and infinities', () => {
    const r = parseQueryResponse({
      status: 'success',
      data: {
        resultType: 'vector',
        result: [
          { metric: { destination_version: 'v1' }, value: [1700000000.5, '99.5'] },
          { metric: {}, value: [1700000000.5, 'NaN'] },
          { metric: { le: 'x' }, value: [1700000000.5, '+Inf'] },
        ],
      },
    });
    expect(r.ok && r.series.map((s) => s.value)).toEqual([99.5, Number.NaN, Infinity]);
    expect(r.ok && r.series[0]!.labels).toEqual({ destination_version: 'v1' });
  });

  it('reads scalars and empty vectors', () => {
    expect(parseQueryResponse({ status: 'success', data: { resultType: 'scalar', result: [1, '2'] } })).toEqual({ ok: true, series: [{ labels: {}, value: 2 }] });
    expect(parseQueryResponse({ status: 'success', data: { resultType: 'vector', result: [] } })).toEqual({ ok: true, series: [] });
  });

  it("reports Prometheus's error and refuses range vectors", () => {
    expect(parseQueryResponse({ status: 'error', errorType: 'bad_data', error: 'parse error at char 3' })).toEqual({ ok: false, error: 'bad_data: parse error at char 3' });
    const m = parseQueryResponse({ status: 'success', data: { resultType: 'matrix', result: [] } });
    expect(m.ok).toBe(false);
    expect(!m.ok && m.error).toMatch(/range selector/);
  });

  it('formats labels for messages', () => {
    expect(formatLabels({ a: '1', b: 'x"y' })).toBe('{a="1", b="x\\"y"}');
  });
});
