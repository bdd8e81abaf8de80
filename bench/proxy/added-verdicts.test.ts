import { describe, expect, it } from 'vitest';
import { belowBound, judgeAdded } from './added-verdicts.js';
import type { FixedRateResult } from './fixed-rate.js';

// A window reduced to its p99 (no raw latencies: the pooled bootstrap is then skipped).
const win = (p99Ms: number): FixedRateResult => ({ scheduled: 1, ok: 1, bad: 0, p50Ms: p99Ms / 2, p99Ms, versions: {}, latencies: [] });
const rounds = (xs: number[]) => xs.map(win);

describe('judgeAdded', () => {
  const direct = [0.3, 0.31, 0.29, 0.3, 0.32, 0.3, 0.28, 0.3, 0.31, 0.3, 0.29, 0.3];
  const plus = (d: number, by: number[]) => direct.map((x, i) => x + d + (by[i] ?? 0));

  it('meets the relative goal when the mesh adds clearly less than twice HAProxy in every round', () => {
    const j = judgeAdded(rounds(direct), rounds(plus(0.4, [0.02, -0.01])), rounds(plus(0.3, [0, 0.01])), 2)!;
    expect(j.mesh.median).toBeCloseTo(0.4, 2);
    expect(belowBound(j.difference, 0)).toBe('met');
    expect(belowBound(j.mesh, 1)).toBe('met');
    expect(j.pooled).toBeUndefined();
  });

  it('misses it when the mesh adds clearly more', () => {
    const j = judgeAdded(rounds(direct), rounds(plus(0.9, [])), rounds(plus(0.2, [])), 2)!;
    expect(belowBound(j.difference, 0)).toBe('missed');
  });

  it('counts stalled windows per target and is moved one rank by each, not by its size', () => {
    const stalledDirect = direct.map((x, i) => (i === 3 ? 20 : x));
    const j = judgeAdded(rounds(stalledDirect), rounds(plus(0.4, [])), rounds(plus(0.3, [])), 2)!;
    expect(j.stalled).toEqual({ direct: 1, mesh: 0, reference: 0 });
    expect(belowBound(j.difference, 0)).toBe('met');
  });

  it('is inconclusive on too few rounds, and undefined without rounds', () => {
    const j = judgeAdded(rounds(direct.slice(0, 3)), rounds(plus(0.4, []).slice(0, 3)), rounds(plus(0.3, []).slice(0, 3)), 2)!;
    expect(belowBound(j.difference, 0)).toBe('inconclusive');
    expect(judgeAdded([], [], [], 2)).toBeUndefined();
  });
});
