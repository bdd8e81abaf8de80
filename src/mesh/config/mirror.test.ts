import { describe, expect, it } from 'vitest';
import type { HTTPRoute } from '../../istio/types.js';
import type { Cluster } from './clusters.js';
import { createDiagnostics } from './diagnostics.js';
import { compileMirrors, pickMirrors, shadowAuthority } from './mirror.js';
import { createSeededRandom } from '../../seeded-random.js';

const cluster = (name: string) => ({ name }) as unknown as Cluster;
const resolve = (d: { host: string; subset?: string }) => (d.subset === 'missing' ? 'no such subset' : cluster(`${d.host}|${d.subset ?? ''}`));

describe('compileMirrors', () => {
  it('mirror defaults to 100%; mirrorPercentage and the deprecated mirror_percent set it', () => {
    const d = createDiagnostics();
    const all = compileMirrors({ mirror: { host: 'reviews', subset: 'v2' } } as HTTPRoute, 'r', 'default', resolve, d);
    expect(all).toEqual([{ cluster: cluster('reviews.default.svc.cluster.local|v2'), fraction: 1 }]);
    expect(compileMirrors({ mirror: { host: 'a' }, mirrorPercentage: { value: 12.5 } } as HTTPRoute, 'r', 'default', resolve, d)[0]!.fraction).toBe(0.125);
    expect(compileMirrors({ mirror: { host: 'a' }, mirror_percent: 30 } as HTTPRoute, 'r', 'default', resolve, d)[0]!.fraction).toBe(0.3);
    expect(compileMirrors({ mirror: { host: 'a' }, mirrorPercentage: { value: 0 } } as HTTPRoute, 'r', 'default', resolve, d)).toEqual([]);
    expect(d.errors).toEqual([]);
  });

  it('mirrors[] each with its own percentage (default 100)', () => {
    const m = compileMirrors({ mirrors: [{ destination: { host: 'a' } }, { destination: { host: 'b' }, percentage: { value: 5 } }] } as HTTPRoute, 'r', 'ns', resolve, createDiagnostics());
    expect(m.map((x) => x.fraction)).toEqual([1, 0.05]);
  });

  it('refuses mirror with mirrors, unknown subsets and bad percentages', () => {
    const d = createDiagnostics();
    compileMirrors({ mirror: { host: 'a' }, mirrors: [] } as unknown as HTTPRoute, 'spec.http[0]', 'default', resolve, d);
    compileMirrors({ mirror: { host: 'a', subset: 'missing' } } as HTTPRoute, 'spec.http[1]', 'default', resolve, d);
    compileMirrors({ mirrors: [{ destination: { host: 'a' }, percentage: { value: 101 } }] } as HTTPRoute, 'spec.http[2]', 'default', resolve, d);
    expect(d.errors.map((e) => e.path)).toEqual(['spec.http[0]', 'spec.http[1].mirror', 'spec.http[2].mirrors[0].percentage.value']);
  });
});

describe('pickMirrors', () => {
  it('draws each mirror independently at its own rate', () => {
    const a = { cluster: cluster('a'), fraction: 0.3 };
    const b = { cluster: cluster('b'), fraction: 1 };
    const r = createSeededRandom(11);
    let na = 0;
    let nb = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      for (const m of pickMirrors([a, b], r)) m === a ? na++ : nb++;
    }
    // sd of a 0.3 share over 20 000 = 0.0032; 5 sigma = 0.016.
    expect(Math.abs(na / n - 0.3)).toBeLessThan(0.016);
    expect(nb).toBe(n);
  });
});

describe('shadowAuthority', () => {
  it('keeps the Host by default (Istio ≥ 1.28) and can append -shadow before the port', () => {
    expect(shadowAuthority('reviews:9080', false)).toBe('reviews:9080');
    expect(shadowAuthority('reviews:9080', true)).toBe('reviews-shadow:9080');
    expect(shadowAuthority('reviews', true)).toBe('reviews-shadow');
  });
});
