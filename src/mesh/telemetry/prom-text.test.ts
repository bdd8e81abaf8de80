import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from './prom-parse.js';
import { escapeLabelValue, formatValue, labelString, writeCounter, writeHistogram } from './prom-text.js';

describe('prometheus text', () => {
  it('escapes label values and round-trips through the parser', () => {
    const labels = labelString([['a', 'x"y'], ['b', 'back\\slash'], ['c', 'new\nline']]);
    expect(labels).toBe('a="x\\"y",b="back\\\\slash",c="new\\nline"');
    const out: string[] = [];
    writeCounter(out, 't_total', 'help', [{ labels, value: 3 }]);
    const { samples } = parsePrometheusText(out.join('\n'));
    expect(samples[0]).toEqual({ name: 't_total', labels: { a: 'x"y', b: 'back\\slash', c: 'new\nline' }, value: 3 });
    expect(escapeLabelValue('plain')).toBe('plain');
  });

  it('histograms are cumulative with +Inf = count', () => {
    const out: string[] = [];
    writeHistogram(out, 'h', 'help', [1, 10], [{ labels: 'x="1"', buckets: [2, 3], sum: 40, count: 6 }]);
    expect(out.slice(2)).toEqual(['h_bucket{x="1",le="1"} 2', 'h_bucket{x="1",le="10"} 5', 'h_bucket{x="1",le="+Inf"} 6', 'h_sum{x="1"} 40', 'h_count{x="1"} 6']);
  });

  it('formats special values', () => {
    expect([formatValue(Infinity), formatValue(-Infinity), formatValue(Number.NaN), formatValue(0.5)]).toEqual(['+Inf', '-Inf', 'NaN', '0.5']);
  });

  it('the parser rejects garbage', () => {
    expect(() => parsePrometheusText('not a metric line at all')).toThrow(/line 1/);
    expect(() => parsePrometheusText('m{a=b} 1')).toThrow(/bad labels/);
  });
});
