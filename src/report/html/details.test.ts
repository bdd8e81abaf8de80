import { describe, expect, it } from 'vitest';
import { targetFacts } from './details.js';

describe('targetFacts', () => {
  it('names the constant rate, or the stages that ran in its place', () => {
    const spec = (load: object) => ({ spec: { load: { generator: 'vegeta', rate: 50, method: 'GET', path: '/r', ...load } } });
    expect(targetFacts(spec({}))).toEqual([['load', 'vegeta, 50 req/s, GET /r']]);
    expect(targetFacts(spec({ stages: [{ rate: 100, duration: 2000 }] }))).toEqual([['load', 'vegeta, stages 0 → 100 req/s over 2s, then 100 req/s (restarting each step), GET /r']]);
  });
});
