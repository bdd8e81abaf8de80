import { describe, expect, it } from 'vitest';
import { orderKeys, stableStringify } from './stable-json.js';

describe('stableStringify', () => {
  it('gives the same bytes whatever the insertion order', () => {
    const a = { zeta: 1, outcome: 'passed', name: 'x', schemaVersion: 1, nested: { b: 2, a: 1 } };
    const b = { nested: { a: 1, b: 2 }, schemaVersion: 1, name: 'x', outcome: 'passed', zeta: 1 };
    expect(stableStringify(a)).toBe(stableStringify(b));
  });

  it('puts known keys first in reading order, then the rest alphabetically', () => {
    expect(Object.keys(orderKeys({ zeta: 1, alpha: 2, summary: '', name: '', schemaVersion: 1 }) as object)).toEqual([
      'schemaVersion',
      'name',
      'summary',
      'alpha',
      'zeta',
    ]);
  });

  it('keeps array order, pretty-prints with two spaces and ends with a newline', () => {
    const text = stableStringify({ steps: [3, 1, 2] });
    expect(text).toBe('{\n  "steps": [\n    3,\n    1,\n    2\n  ]\n}\n');
  });

  it('round-trips', () => {
    const value = { b: [{ y: null, x: 'é' }], a: { 'p99.9': 1.5 } };
    expect(JSON.parse(stableStringify(value))).toEqual(value);
  });
});

describe('keys that name Object.prototype members', () => {
  it('keeps "__proto__" and "constructor" as ordinary keys (a user may name a label so)', () => {
    const labels = JSON.parse('{"__proto__": "x", "constructor": "y"}') as object;
    expect(JSON.parse(stableStringify({ metadata: { labels } })).metadata.labels).toEqual(JSON.parse('{"__proto__": "x", "constructor": "y"}'));
    expect(stableStringify(labels)).toBe('{\n  "__proto__": "x",\n  "constructor": "y"\n}\n');
  });
});

describe('timeline points', () => {
  it('writes each point of a timeline on one line, in stable key order, and round-trips', () => {
    const value = { steps: [{ index: 0, timeline: [{ p50: 1.5, version: 'v1', time: 1000, count: 2, errors: 0, p95: null, p99: 2 }, { version: 'all', time: 1000, count: 2, errors: 0, p50: 1.5, p95: null, p99: 2 }] }] };
    const text = stableStringify(value);
    expect(text).toContain('\n        {"version":"v1","time":1000,"count":2,"errors":0,"p50":1.5,"p95":null,"p99":2},\n');
    expect(text).toContain('\n        {"version":"all","time":1000,"count":2,"errors":0,"p50":1.5,"p95":null,"p99":2}\n');
    expect(JSON.parse(text)).toEqual(value);
  });

  it('leaves nested elements, other keys and a string looking like a marker as they were', () => {
    const value = { timeline: [{ a: { b: 1 } }, 'one-line x 0'], other: [{ a: 1 }] };
    expect(stableStringify(value)).toBe(`${JSON.stringify(orderKeys(value), null, 2)}\n`);
  });
});
