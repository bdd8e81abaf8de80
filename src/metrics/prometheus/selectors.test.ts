import { describe, expect, it } from 'vitest';
import { findSelectors, formatSelector, parseMatchers } from './selectors.js';
import { BUILTIN_QUERIES } from './builtins.js';

describe('PromQL selectors', () => {
  it('finds every selector with its matchers, skipping by(...) and strings', () => {
    const q = 'sum(rate(a_total{x="1", y=~"p,q}"}[1m])) by (le) / sum(b{z!~`r"s`}) + label_replace(c, "d{", "", "", "")';
    const s = findSelectors(q);
    expect(s.map((x) => x.metric)).toEqual(['a_total', 'b']);
    expect(s[0]!.matchers).toEqual([
      { label: 'x', op: '=', literal: '"1"' },
      { label: 'y', op: '=~', literal: '"p,q}"' },
    ]);
    expect(s[1]!.matchers).toEqual([{ label: 'z', op: '!~', literal: '`r"s`' }]);
  });

  it('keeps escaped quotes inside values', () => {
    expect(parseMatchers('a="x\\"y", b!="z"')).toEqual([
      { label: 'a', op: '=', literal: '"x\\"y"' },
      { label: 'b', op: '!=', literal: '"z"' },
    ]);
    expect(parseMatchers('a=1')).toBeUndefined();
  });

  it('reads the built-in Istio queries after templating', () => {
    const q = BUILTIN_QUERIES['request-success-rate'].replaceAll('{{ namespace }}', 'default').replaceAll('{{ target }}', 'reviews-v2').replaceAll('{{ interval }}', '1m');
    const s = findSelectors(q);
    expect(s).toHaveLength(2);
    expect(formatSelector(s[0]!.metric, s[0]!.matchers)).toBe(
      'istio_requests_total{reporter="destination",destination_workload_namespace="default",destination_workload=~"reviews-v2",response_code!~"5.*"}',
    );
  });
});
