import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../src/seeded-random.js';
import { bootstrapAdded, intervalVerdict, weightedQuantile } from './added-bootstrap.js';
import { percentile } from './fixed-rate.js';

const random = createSeededRandom(7);
// A round of n latencies: a base distribution, shifted by `add`, plus a round-wide offset `phase`.
const round = (n: number, add: number, phase = 0) => Array.from({ length: n }, () => 0.5 + phase + add - 0.2 * Math.log(1 - random())).sort((a, b) => a - b);

describe('weightedQuantile', () => {
  it('equals the nearest-rank percentile of the rounds repeated by their weights', () => {
    const rounds = [round(50, 0), round(70, 0.1), round(30, 0.3)];
    const union = rounds.flat().sort((a, b) => a - b);
    for (const weights of [[1, 1, 1], [2, 0, 1], [0, 3, 0], [1, 0, 0]]) {
      const repeated = rounds.flatMap((r, i) => Array.from({ length: weights[i]! }, () => r).flat()).sort((a, b) => a - b);
      for (const q of [0.5, 0.9, 0.99]) expect(weightedQuantile(rounds, weights, union, q)).toBe(percentile(repeated, q));
    }
  });
});

describe('bootstrapAdded', () => {
  const rounds = (add: number, phases: number[]) => phases.map((p) => round(2000, add, p));

  it('says missed when the mesh adds clearly more than k times the reference', () => {
    const phases = [0, 0.02, -0.01, 0.03, 0, 0.01, -0.02];
    const b = bootstrapAdded({ direct: rounds(0, phases), mesh: rounds(0.6, phases), reference: rounds(0.1, phases), k: 2 });
    expect(b.mesh.estimate).toBeGreaterThan(0.4);
    expect(b.difference.low).toBeGreaterThan(0);
    expect(intervalVerdict(b.difference)).toBe('missed');
  });

  it('says met when the mesh adds clearly less than k times the reference', () => {
    const phases = [0, 0.02, -0.01, 0.03, 0, 0.01, -0.02];
    const b = bootstrapAdded({ direct: rounds(0, phases), mesh: rounds(0.1, phases), reference: rounds(0.3, phases), k: 2 });
    expect(b.difference.high).toBeLessThan(0);
    expect(intervalVerdict(b.difference)).toBe('met');
  });

  it('says inconclusive when round-to-round noise swamps the effect', () => {
    // Independent phases per target: the pairing cannot cancel them.
    const phase = () => Array.from({ length: 7 }, () => 3 * (random() - 0.5));
    const b = bootstrapAdded({ direct: rounds(0, phase()), mesh: rounds(0.2, phase()), reference: rounds(0.1, phase()), k: 2 });
    expect(b.difference.low).toBeLessThan(0);
    expect(b.difference.high).toBeGreaterThan(0);
    expect(intervalVerdict(b.difference)).toBe('inconclusive');
  });

  it('refuses rounds that do not pair', () => {
    expect(() => bootstrapAdded({ direct: [[1]], mesh: [[1], [2]], reference: [[1]], k: 2 })).toThrow(/same number/);
  });
});
