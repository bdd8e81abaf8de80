import { describe, expect, it } from 'vitest';
import { promDuration, renderQuery, templateNames, unknownTemplateNames, type QueryVariables } from './promql-template.js';

const vars: QueryVariables = { namespace: 'ns', target: 'reviews-v2', version: 'v2', stable: 'v1', canary: 'v2', service: 'reviews', interval: '10s' };

describe('query templates', () => {
  it('replaces {{ name }} with or without spaces', () => {
    expect(renderQuery('a{ns="{{ namespace }}",w=~"{{target}}"}[{{  interval }}]', vars)).toBe('a{ns="ns",w=~"reviews-v2"}[10s]');
  });

  it('lists names and flags unknown ones', () => {
    expect(templateNames('{{ version }} {{ nope }} {{ version }}')).toEqual(['version', 'nope']);
    expect(unknownTemplateNames('{{ version }} {{ nope }} {{ args.x }}')).toEqual(['nope', 'args.x']);
    expect(renderQuery('{{ nope }}', vars)).toBe('{{ nope }}');
  });

  it('rounds windows up to whole seconds', () => {
    expect([promDuration(0), promDuration(999), promDuration(5000), promDuration(5001)]).toEqual(['1s', '1s', '5s', '6s']);
  });
});
