import { describe, expect, it } from 'vitest';
import { describeAnalysis, describeScenario } from './plan-view.js';
import { experimentSchema, type Experiment } from '../experiment/schema.js';

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

describe('describeAnalysis', () => {
  const experiment = (analysis: object, slos: object[], more: object = {}) =>
    experimentSchema.parse({
      apiVersion: 'mesh-exp.dev/v1alpha1',
      kind: 'Experiment',
      metadata: { name: 'x' },
      spec: { target: { virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v2' }, traffic: { shift: { steps: [50] } }, slos, analysis, ...more },
    });

  it('says the mode, and with sequential which SLOs are tested, at which α, and what ends a step', () => {
    expect(describeAnalysis(experiment({}, [{ kind: 'relative-error-rate' }]))).toBe('fixed (each SLO judged once over each step)');
    expect(describeAnalysis(experiment({ mode: 'sequential' }, [{ kind: 'relative-error-rate', confidence: 0.99 }, { kind: 'latency', max: '1s' }]))).toBe(
      'sequential: canary-vs-stable-error-rate (α 1%), canary-latency-p99 (α 1%) tested every second; a certain regression stops the step and rolls back',
    );
    expect(describeAnalysis(experiment({ mode: 'sequential', promoteEarly: true }, [{ kind: 'relative-error-rate' }, { kind: 'relative-latency', name: 'lat' }]))).toBe(
      'sequential: canary-vs-stable-error-rate (α 2%), lat (α 2%) tested every second; a certain regression stops the step and rolls back; promoteEarly: ends a step once every test is certain of non-inferiority (error rate within +1.00pp, latency within 5% slower)',
    );
    const slos = [{ kind: 'relative-error-rate' }, { kind: 'prometheus', builtin: 'request-success-rate', min: 99 }, { kind: 'prometheus', query: 'sum(up)', min: 1, name: 'custom' }];
    const withProm = experiment({ mode: 'sequential' }, slos, { metrics: { prometheus: { scrapeInterval: '5s' } } });
    expect(describeAnalysis(withProm)).toBe(
      "sequential: canary-vs-stable-error-rate (α 2%) tested every second, canary-request-success-rate (α 1%) on Prometheus's counters every 5s; a certain regression stops the step and rolls back; the other SLOs judged at the step's end",
    );
  });
});
