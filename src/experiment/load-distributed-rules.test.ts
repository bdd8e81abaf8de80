import { describe, expect, it } from 'vitest';
import { formatPath } from '../input/locate.js';
import { IMAGE_REFERENCE, QUANTITY, loadDistributedSchema } from './load-distributed-schema.js';
import { checkRules, ruleInputFromSpec } from './rules.js';
import { experimentSpecSchema, type ExperimentInput } from './schema.js';

type SpecInput = ExperimentInput['spec'];

const base = (): SpecInput => ({
  target: { provider: 'istio', virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v2' },
  traffic: { shift: { steps: [10, 100] } },
  load: { generator: 'vegeta', rate: 40, distributed: { replicas: 4, image: 'example.com/vegeta:12.13.0' } },
  metrics: { prometheus: {} },
  slos: [{ kind: 'prometheus', builtin: 'request-success-rate', subject: 'canary', min: 99 }],
});

function rules(edit: (s: SpecInput) => void): string[] {
  const spec = base();
  edit(spec);
  return checkRules(ruleInputFromSpec(experimentSpecSchema.parse(spec))).map((p) => `${formatPath(p.path)}: ${p.message}`);
}

describe('load.distributed rules', () => {
  it('accepts a sound distributed experiment (and load.url is then not required)', () => {
    expect(rules(() => {})).toEqual([]);
  });

  it('refuses provider local, a generator without a cluster form, and vegeta without an image', () => {
    expect(rules((s) => {
      s.target.provider = 'gateway-api';
      s.target.virtualService = undefined;
      s.target.httpRoute = 'reviews';
    })).toEqual([]);
    expect(rules((s) => (s.load!.generator = 'builtin'))).toEqual(['spec.load.distributed: needs load.generator vegeta (an indexed Job) or k6 (a k6-operator TestRun), not builtin']);
    expect(rules((s) => (s.load!.distributed = { replicas: 4 }))).toEqual(['spec.load.distributed: image is required with generator vegeta: an image with vegeta v12.13.0 or later on PATH']);
    expect(rules((s) => ((s.load!.generator = 'k6'), (s.load!.distributed = { replicas: 4 })))).toEqual([]);
  });

  it('refuses fewer than 1 request per second per pod, naming both numbers', () => {
    expect(rules((s) => (s.load!.distributed!.replicas = 41))).toEqual(['spec.load.distributed.replicas: 41 pods at load.rate 40 would send 0.976 requests per second each, below 1']);
    expect(rules((s) => (s.load!.distributed!.replicas = 40))).toEqual([]);
  });

  it('refuses stages, requests and data, which the pods would not carry', () => {
    expect(rules((s) => ((s.load!.rate = undefined), (s.load!.stages = [{ rate: 80, duration: '5s' }])))).toEqual(['spec.load.stages: is not supported with load.distributed yet: the pods send one request at a constant load.rate']);
    expect(rules((s) => (s.load!.requests = [{ name: 'read' }]))).toEqual(['spec.load.requests: is not supported with load.distributed yet: the pods send one request at a constant load.rate']);
    expect(rules((s) => (s.load!.data = { file: 'users.csv' }))).toEqual(['spec.load.data: is not supported with load.distributed yet: the pods send one request at a constant load.rate']);
  });

  it('needs Prometheus and refuses what judges this process\'s own samples', () => {
    expect(rules((s) => {
      delete s.metrics;
      s.slos = [{ kind: 'error-rate', max: '1%' }];
      s.analysis = { abortWhen: [{ kind: 'error-rate', subject: 'canary', max: '20%' }] };
    })).toEqual([
      'spec.load.distributed: needs spec.metrics.prometheus: the run is judged on the metrics the cluster\'s Prometheus scrapes',
      'spec.slos[0].kind: kind error-rate judges the requests this process sends, and with load.distributed it sends none',
      'spec.analysis.abortWhen: early abort reads the requests this process sends, and with load.distributed it sends none',
    ]);
  });
});

describe('load.distributed schema', () => {
  const problems = (value: unknown) => (loadDistributedSchema.safeParse(value).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

  it('bounds replicas to 1..1000 integers', () => {
    expect(problems({ replicas: 1 })).toEqual([]);
    expect(problems({ replicas: 1000 })).toEqual([]);
    expect(problems({ replicas: 0 })).toHaveLength(1);
    expect(problems({ replicas: 1001 })).toHaveLength(1);
    expect(problems({ replicas: 2.5 })).toHaveLength(1);
    expect(problems({})).toHaveLength(1);
  });

  it('checks the image reference, the namespace label and the quantities', () => {
    for (const ok of ['vegeta', 'peterevans/vegeta:6.9.1', 'registry.example.com:5000/a/b-c_d:v1.2', `x/y@sha256:${'a'.repeat(64)}`]) expect(ok).toMatch(IMAGE_REFERENCE);
    for (const bad of ['Bad Image', 'UPPER/case', 'x:', ':tag', 'a//b', 'x@sha256:zz']) expect(bad).not.toMatch(IMAGE_REFERENCE);
    for (const ok of ['1', '500m', '0.5', '1.5Gi', '256Mi', '2e3', '+1', '.5']) expect(ok).toMatch(QUANTITY);
    for (const bad of ['1.2.3', 'lots', '1 Gi', '-1', '1GB', 'm', '']) expect(bad).not.toMatch(QUANTITY);
    expect(problems({ replicas: 2, namespace: 'Load_NS' })).toEqual([expect.stringMatching(/^namespace: expected a namespace name/)]);
    expect(problems({ replicas: 2, namespace: 'a'.repeat(64) })).toHaveLength(1);
    expect(problems({ replicas: 2, resources: { limits: { cpu: 'lots' }, requests: { gpu: '1' } } })).toHaveLength(2);
  });
});
