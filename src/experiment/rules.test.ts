import { describe, expect, it } from 'vitest';
import { formatPath } from '../input/locate.js';
import { checkRules, ruleInputFromData, ruleInputFromSpec, sendsTrafficToCanary, stepDurationOf } from './rules.js';
import { experimentSpecSchema, type ExperimentInput } from './schema.js';

type SpecInput = ExperimentInput['spec'];

const base = (): SpecInput => ({
  target: { virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v2' },
  traffic: { shift: { steps: [10, 50, 100] } },
  local: { manifests: ['./istio'] },
});

/** Runs the rules on a spec that passes the schema; returns "path: message" lines. */
function rules(edit: (s: SpecInput) => void): string[] {
  const spec = base();
  edit(spec);
  const parsed = experimentSpecSchema.parse(spec);
  return checkRules(ruleInputFromSpec(parsed)).map((p) => `${formatPath(p.path)}: ${p.message}`);
}

describe('checkRules', () => {
  it('accepts a sound experiment', () => {
    expect(rules(() => {})).toEqual([]);
  });

  it('requires steps to be non-decreasing, pointing at each step that goes down', () => {
    expect(rules((s) => (s.traffic.shift = { steps: [10, 50, 25, 100, 90] }))).toEqual([
      'spec.traffic.shift.steps[2]: steps must not decrease: 25 comes after 50',
      'spec.traffic.shift.steps[4]: steps must not decrease: 90 comes after 100',
    ]);
    expect(rules((s) => (s.traffic.shift = { steps: [0, 0, 100, 100] }))).toEqual([]);
  });

  it('wants exactly one of steps and stepWeight, and a sensible maxWeight', () => {
    expect(rules((s) => (s.traffic.shift = { steps: [10], stepWeight: 10 }))).toEqual([
      'spec.traffic.shift.stepWeight: give either steps or stepWeight, not both',
    ]);
    expect(rules((s) => (s.traffic.shift = {}))).toEqual(['spec.traffic.shift: a shift needs steps or stepWeight']);
    expect(rules((s) => (s.traffic.shift = { stepWeight: 30, maxWeight: 20 }))).toEqual([
      'spec.traffic.shift.maxWeight: maxWeight (20) is below stepWeight (30), so no step could be taken',
    ]);
    expect(rules((s) => (s.traffic.shift = { stepWeight: 20, maxWeight: 20 }))).toEqual([]);
    expect(rules((s) => (s.traffic.shift = { steps: [10], maxWeight: 50 }))).toEqual(['spec.traffic.shift.maxWeight: maxWeight applies only with stepWeight']);
  });

  // Found by the fuzz suite: stepWeight 6e-120 passed validation, then planning its steps grew an
  // array until V8 aborted the process (no error, no restore, no report); stepWeight 4.97 and
  // steps [1.4e-25, ...] passed too, and the mesh refused the fractional weight at step 1.
  it('wants whole canary weights, so a tiny stepWeight cannot plan endless steps', () => {
    expect(rules((s) => (s.traffic.shift = { stepWeight: 6.4e-120 }))).toEqual(['spec.traffic.shift.stepWeight: canary weights are whole percentages (route weights are integers), got 6.4e-120']);
    expect(rules((s) => (s.traffic.shift = { stepWeight: 4.97, maxWeight: 50.5 }))).toEqual([
      'spec.traffic.shift.stepWeight: canary weights are whole percentages (route weights are integers), got 4.97',
      'spec.traffic.shift.maxWeight: canary weights are whole percentages (route weights are integers), got 50.5',
    ]);
    expect(rules((s) => (s.traffic.shift = { steps: [1.4e-25, 50, 100] }))).toEqual(['spec.traffic.shift.steps[0]: canary weights are whole percentages (route weights are integers), got 1.4e-25']);
    expect(rules((s) => (s.traffic.shift = { stepWeight: 1 }))).toEqual([]);
  });

  it('refuses a list of more than MAX_SHIFT_STEPS steps', () => {
    expect(rules((s) => (s.traffic.shift = { steps: new Array<number>(1001).fill(100) }))).toEqual(['spec.traffic.shift.steps: the shift lists 1,001 steps, more than the 1,000 allowed']);
    expect(rules((s) => (s.traffic.shift = { steps: new Array<number>(1000).fill(100) }))).toEqual([]);
  });

  it('refuses a canary equal to the stable', () => {
    expect(rules((s) => (s.target.canary = 'v1'))).toEqual(['spec.target.canary: the canary is the same subset as the stable ("v1")']);
  });

  it('ties spec.local to the provider', () => {
    expect(rules((s) => delete s.local)).toEqual([
      'spec.local: required with provider local (the default): it names the Istio manifests the local mesh runs',
    ]);
    expect(
      rules((s) => {
        s.target.provider = 'istio';
        s.load = { url: 'http://127.0.0.1:8080/' };
      }),
    ).toEqual(['spec.local: only used with provider local, but target.provider is istio']);
  });

  it('sends load through the mesh locally and to load.url with istio', () => {
    expect(rules((s) => (s.load = { url: 'http://127.0.0.1:1/' }))).toEqual([
      'spec.load.url: not used with provider local: requests go through the local mesh',
    ]);
    expect(rules((s) => (s.load = { generator: 'none' }))).toEqual([
      'spec.load.generator: the local mesh has no live traffic, so generator none would send nothing',
    ]);
    const istio = (load: SpecInput['load']) =>
      rules((s) => {
        s.target.provider = 'istio';
        delete s.local;
        s.load = load;
      });
    expect(istio({})).toEqual(['spec.load.url: required with provider istio: the address requests are sent to']);
    expect(istio({ generator: 'none' })).toEqual([]);
    expect(istio({ url: 'http://127.0.0.1:8080/', host: 'reviews.example' })).toEqual([]);
  });

  it('keeps load.duration within the step', () => {
    expect(rules((s) => (s.load = { duration: '11s' }))).toEqual([
      'spec.load.duration: load runs 11s, longer than the step (10s, spec.traffic.shift.interval)',
    ]);
    expect(rules((s) => (s.load = { duration: '10s' }))).toEqual([]);
    expect(
      rules((s) => {
        s.traffic = { fault: { abort: { httpStatus: 503 }, duration: '20s' }, mirror: { subset: 'v2', duration: '5s' } };
        s.load = { duration: '6s' };
        s.slos = [];
      }),
    ).toEqual(['spec.load.duration: load runs 6s, longer than the step (5s, spec.traffic.mirror.duration)']);
  });

  it('wants unique SLO names and no unnamed duplicates', () => {
    expect(
      rules(
        (s) =>
          (s.slos = [
            { kind: 'latency', name: 'a', max: '1s' },
            { kind: 'error-rate', name: 'a', max: '1%' },
            { kind: 'latency', max: '1s' },
            { kind: 'latency', percentile: 'p99', max: '2s' },
            { kind: 'latency', percentile: 'p50', max: '2s' },
          ]),
      ),
    ).toEqual([
      'spec.slos[1].name: duplicate SLO name "a" (also spec.slos[0])',
      'spec.slos[3]: judges the same as spec.slos[2] (latency p99 of the canary)',
    ]);
  });

  it('refuses a canary SLO when nothing reaches the canary', () => {
    const fault = (subset?: string) =>
      rules((s) => {
        s.traffic = { fault: { abort: { httpStatus: 503 }, ...(subset ? { subset } : {}) } };
        s.slos = [{ kind: 'error-rate', max: '1%' }, { kind: 'error-rate', subject: 'stable', max: '1%' }];
      });
    expect(fault()).toEqual(['spec.slos[0].subject: judges the canary, but the traffic change sends no requests to the canary']);
    expect(fault('v2')).toEqual([]);
  });

  it('with local.attach refuses what only an in-process mesh uses; without it, needs manifests', () => {
    expect(rules((s) => (s.local = { attach: 'http://127.0.0.1:15020' }))).toEqual([]);
    expect(rules((s) => (s.local = { attach: 'http://127.0.0.1:15020', manifests: ['./istio'], backends: [{ host: 'reviews', subset: 'v2' }], admin: '127.0.0.1:9' }))).toEqual([
      'spec.local.manifests: not used with local.attach: the VirtualServices and DestinationRules come from the running mesh',
      'spec.local.backends: not used with local.attach: the running mesh has its own backends',
      "spec.local.admin: not used with local.attach: the running mesh has its own addresses (its proxy URL is read from the attach URL's /info)",
    ]);
    // Other clients may send traffic through an attached mesh, so generator none is allowed there.
    expect(rules((s) => ((s.local = { attach: 'http://127.0.0.1:15020' }), (s.load = { generator: 'none' })))).toEqual([]);
    expect(rules((s) => (s.load = { generator: 'none' }))).toHaveLength(1);
    expect(rules((s) => (s.local = {}))).toEqual([
      'spec.local: needs manifests (the Istio YAML the local mesh serves) or attach (the admin URL of a running `mesh-exp mesh`)',
    ]);
  });
});

describe('ruleInputFromData', () => {
  it('keeps the sections that parse and skips rules on the others', () => {
    const input = ruleInputFromData({
      spec: { target: { virtualService: 'r', host: 'r', stable: 'v1', canary: 'v1' }, traffic: { shift: { steps: 'x' } } },
    });
    expect([...input.valid].sort()).toEqual(['analysis', 'load', 'local', 'metrics', 'notify', 'slos', 'target']);
    // target is fine, so its rule runs; traffic is not, so the shift rules stay quiet.
    expect(checkRules(input).map((p) => formatPath(p.path))).toEqual(['spec.target.canary', 'spec.local']);
  });

  it('has nothing valid without a spec map', () => {
    expect(ruleInputFromData({ spec: [1] }).valid.size).toBe(0);
    expect(ruleInputFromData(null).valid.size).toBe(0);
  });
});

describe('helpers', () => {
  const target = experimentSpecSchema.shape.target.parse(base().target);
  const traffic = (t: SpecInput['traffic']) => experimentSpecSchema.shape.traffic.parse(t);

  it('stepDurationOf prefers the shift interval', () => {
    expect(stepDurationOf(traffic({ shift: { steps: [1], interval: '3s' }, fault: { delay: { fixedDelay: '1s' }, duration: '1s' } }))?.ms).toBe(3000);
    expect(stepDurationOf(traffic({ match: [{ uri: { prefix: '/' } }] }))).toBeUndefined();
  });

  it('sendsTrafficToCanary knows which changes reach the canary', () => {
    expect(sendsTrafficToCanary(traffic({ shift: { steps: [0, 0] } }), target)).toBe(false);
    expect(sendsTrafficToCanary(traffic({ shift: { steps: [0, 5] } }), target)).toBe(true);
    expect(sendsTrafficToCanary(traffic({ shift: { stepWeight: 5 } }), target)).toBe(true);
    expect(sendsTrafficToCanary(traffic({ match: [{ uri: { prefix: '/' } }] }), target)).toBe(true);
    expect(sendsTrafficToCanary(traffic({ mirror: { subset: 'v2' } }), target)).toBe(false);
  });
});
