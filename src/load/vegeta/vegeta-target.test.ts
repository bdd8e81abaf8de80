import { describe, expect, it } from 'vitest';
import type { LoadPlan } from '../types.js';
import { vegetaRate, vegetaTarget, vegetaTargetLine } from './vegeta-target.js';
import { attackArgs } from './vegeta-generator.js';

const plan: LoadPlan = {
  url: 'http://127.0.0.1:8080/reviews',
  method: 'POST',
  headers: { 'x-user': 'a', host: 'ignored.example' },
  body: 'héllo',
  rate: 100,
  durationMs: 2000,
  timeoutMs: 500,
  maxInFlight: 10,
  versionHeader: 'x-version',
};

describe('vegetaTarget', () => {
  it('lists headers, sets Host from the plan over a host header, base64-encodes the body', () => {
    expect(vegetaTarget({ ...plan, hostHeader: 'reviews.default' })).toEqual({
      method: 'POST',
      url: 'http://127.0.0.1:8080/reviews',
      header: { 'x-user': ['a'], Host: ['reviews.default'] },
      body: Buffer.from('héllo').toString('base64'),
    });
  });

  it('has no body field without a body, and keeps a host header when the plan has no Host', () => {
    const { body: _body, ...noBody } = plan;
    expect(vegetaTarget(noBody)).toEqual({ method: 'POST', url: plan.url, header: { 'x-user': ['a'], host: ['ignored.example'] } });
  });

  it('writes one newline-terminated JSON line', () => {
    const line = vegetaTargetLine(plan);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(vegetaTarget(plan));
  });
});

describe('vegetaRate and attackArgs', () => {
  it('gives whole rates per second and fractional ones per 1000 s', () => {
    expect(vegetaRate(100)).toBe('100/1s');
    expect(vegetaRate(0.5)).toBe('500/1000s');
    expect(vegetaRate(12.3456)).toBe('12346/1000s');
  });

  it('runs an open-model lazy JSON attack: no -max-workers', () => {
    const args = attackArgs(plan);
    expect(args).toEqual(['attack', '-lazy', '-format=json', '-rate=100/1s', '-duration=2000ms', '-timeout=500ms', '-max-body=64', '-http2=false']);
    expect(args.some((a) => a.startsWith('-max-workers'))).toBe(false);
  });
});
