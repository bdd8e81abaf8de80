import { describe, expect, it } from 'vitest';
import { intersectMatches, mergeMatchEntry } from './match.js';

describe('intersectMatches', () => {
  it('returns the extra match when the route matches everything', () => {
    expect(intersectMatches(undefined, [{ headers: { a: { exact: '1' } } }])).toEqual({ ok: true, match: [{ headers: { a: { exact: '1' } } }] });
    expect(intersectMatches([], [{ uri: { prefix: '/x' } }])).toEqual({ ok: true, match: [{ uri: { prefix: '/x' } }] });
  });

  it('crosses entries (OR of ANDs) and merges header maps key by key', () => {
    const out = intersectMatches(
      [{ uri: { prefix: '/a' } }, { uri: { prefix: '/b' }, headers: { x: { exact: '1' } } }],
      [{ headers: { user: { exact: 'jason' } } }, { queryParams: { beta: { exact: 'on' } } }],
    );
    expect(out).toEqual({
      ok: true,
      match: [
        { uri: { prefix: '/a' }, headers: { user: { exact: 'jason' } } },
        { uri: { prefix: '/a' }, queryParams: { beta: { exact: 'on' } } },
        { uri: { prefix: '/b' }, headers: { x: { exact: '1' }, user: { exact: 'jason' } } },
        { uri: { prefix: '/b' }, headers: { x: { exact: '1' } }, queryParams: { beta: { exact: 'on' } } },
      ],
    });
  });

  it('accepts a condition both sides state identically', () => {
    expect(mergeMatchEntry({ method: { exact: 'GET' } }, { method: { exact: 'GET' } })).toEqual({ ok: true, match: { method: { exact: 'GET' } } });
  });

  it('fails on a condition both sides state differently, naming the key', () => {
    expect(mergeMatchEntry({ headers: { user: { exact: 'a' } } }, { headers: { user: { exact: 'b' } } })).toEqual({ ok: false, key: 'headers.user' });
    expect(intersectMatches([{ uri: { exact: '/a' } }], [{ uri: { prefix: '/' } }])).toEqual({ ok: false, key: 'uri' });
  });

  it('keeps the route entry name and never mutates its inputs', () => {
    const a = Object.freeze({ name: 'route', headers: Object.freeze({ x: Object.freeze({ exact: '1' }) }) });
    const b = Object.freeze({ name: 'exp', headers: Object.freeze({ y: Object.freeze({}) }) });
    expect(mergeMatchEntry(a, b)).toEqual({ ok: true, match: { name: 'route', headers: { x: { exact: '1' }, y: {} } } });
  });
});
