import { describe, expect, it } from 'vitest';
import { describeScenario } from './plan-view.js';
import type { Experiment } from '../experiment/schema.js';

type Load = Experiment['spec']['load'];

describe('describeScenario', () => {
  it('names the requests with their weights and the data file with its order', () => {
    const load = { requests: [{ name: 'read', weight: 4 }, { name: 'write', weight: 1 }], data: { file: 'data/users.csv', order: 'random' } } as unknown as Load;
    expect(describeScenario(load)).toBe(', 2 request(s) (read ×4, write ×1), data data/users.csv (random)');
  });

  it('says nothing for the one unnamed request of a plain load', () => {
    expect(describeScenario({} as Load)).toBe('');
  });
});
