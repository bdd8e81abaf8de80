import { describe, expect, it } from 'vitest';
import { experimentSchema, type Experiment } from '../../experiment/schema.js';
import { rbacResource } from '../../kube/cluster-objects.js';
import { buildK6TestRun } from './k6-testrun.js';
import { createDefaultDistributedRegistry } from './registry.js';
import { distributedLoadPlan, distributedStepInput, inClusterUrl } from './step-input.js';
import { buildVegetaJob, vegetaPodArgs } from './vegeta-job.js';

const experiment = (load: Record<string, unknown>, host = 'reviews'): Experiment =>
  experimentSchema.parse({
    apiVersion: 'mesh-exp.dev/v1alpha1',
    kind: 'Experiment',
    metadata: { name: 'a-very-long-experiment-name-that-goes-on-and-on' },
    spec: {
      target: { provider: 'istio', namespace: 'shop', virtualService: 'reviews', host, stable: 'v1', canary: 'v2' },
      traffic: { shift: { steps: [50, 100], interval: '30s' } },
      load: { generator: 'vegeta', rate: 25, path: '/r/1', host: 'reviews', headers: { 'x-a': 'b' }, ...load },
      metrics: { prometheus: {} },
    },
  });
const input = (e: Experiment, index = 0) => ({ ...distributedStepInput(e, 'lz3k9q1', distributedLoadPlan(e, 30_000), index), annotations: { 'mesh-exp.dev/journal': '/j' } });

describe('distributed load builders', () => {
  it('names each step\'s objects as a DNS label short enough for pod names, in the chosen namespace', () => {
    const e = experiment({ distributed: { replicas: 4, image: 'v:1' } });
    const i = input(e, 11);
    expect(i.name).toBe('mx-a-very-long-experiment-name-th-lz3k9q1-12');
    expect(i.name.length).toBeLessThanOrEqual(52);
    expect(i.namespace).toBe('shop');
    expect(input(experiment({ distributed: { replicas: 4, image: 'v:1', namespace: 'load' } })).namespace).toBe('load');
  });

  it('sends to the target Service inside the cluster unless distributed.url says otherwise', () => {
    expect(inClusterUrl(experiment({ distributed: { replicas: 1, image: 'v:1' } }))).toBe('http://reviews.shop.svc.cluster.local/r/1');
    expect(inClusterUrl(experiment({ distributed: { replicas: 1, image: 'v:1' } }, 'reviews.other.svc.cluster.local'))).toBe('http://reviews.other.svc.cluster.local/r/1');
    expect(inClusterUrl(experiment({ distributed: { replicas: 1, image: 'v:1', url: 'http://gw.istio-system/r' } }))).toBe('http://gw.istio-system/r');
  });

  it('vegeta: a ConfigMap with the target, then an indexed Job whose pods each send rate/replicas', () => {
    const [cm, job] = buildVegetaJob(input(experiment({ distributed: { replicas: 4, image: 'v:1', resources: { limits: { cpu: '1' } } } })));
    expect(JSON.parse((cm!['data'] as Record<string, string>)['targets.json']!)).toEqual({ method: 'GET', url: 'http://reviews.shop.svc.cluster.local/r/1', header: { 'x-a': ['b'], Host: ['reviews'] } });
    const spec = job!.spec as { template: { metadata: { annotations: Record<string, string> }; spec: { containers: { args: string[]; resources: unknown }[] } } } & Record<string, unknown>;
    expect(spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 4, backoffLimit: 0, activeDeadlineSeconds: 90 });
    expect(spec.template.metadata.annotations).toEqual({ 'mesh-exp.dev/journal': '/j', 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8880', 'prometheus.io/path': '/metrics' });
    expect(spec.template.spec.containers[0]!.resources).toEqual({ limits: { cpu: '1' } });
    // 25 / 4 = 6.25 per second: vegeta's frequency is an integer, so per 1000 s.
    expect(spec.template.spec.containers[0]!.args).toContain('-rate=6250/1000s');
    expect(spec.template.spec.containers[0]!.args).toContain('-duration=30000ms');
    expect(vegetaPodArgs(input(experiment({ distributed: { replicas: 5, image: 'v:1' } })))).toContain('-rate=5/1s');
  });

  it('k6: a ConfigMap with the generated script at the total rate, and a TestRun started (paused "false")', () => {
    const [cm, run] = buildK6TestRun(input(experiment({ generator: 'k6', distributed: { replicas: 3 } })));
    const script = (cm!['data'] as Record<string, string>)['load.js']!;
    expect(script).toContain('http://reviews.shop.svc.cluster.local/r/1');
    expect(script).toMatch(/"rate": ?25/);
    expect(run!.spec).toEqual({
      parallelism: 3,
      script: { configMap: { name: cm!.metadata.name, file: 'load.js' } },
      paused: 'false',
      cleanup: 'post',
      runner: { metadata: { labels: cm!.metadata.labels, annotations: { 'mesh-exp.dev/journal': '/j' } } },
    });
  });

  it('the registry maps vegeta to the Job and k6 to the TestRun, and nothing else', () => {
    const registry = createDefaultDistributedRegistry();
    expect(registry.get('vegeta')().generator).toBe('vegeta');
    expect(registry.get('k6')().generator).toBe('k6');
    expect(() => registry.get('builtin')).toThrow(/builtin/);
  });

  it.each(['vegeta', 'k6'])('%s owns its RBAC: create, get and delete on exactly the kinds it builds', (generator) => {
    const builder = createDefaultDistributedRegistry().get(generator)();
    const built = builder.build(input(experiment({ generator, distributed: { replicas: 2, image: 'v:1' } })));
    const needed = built.map((o) => rbacResource(o.apiVersion, o.kind)).sort();
    const granted = builder.rbac.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => (g ? `${res}.${g}` : res)))).sort();
    expect(granted).toEqual(needed);
    for (const rule of builder.rbac) expect(rule.verbs).toEqual(['create', 'get', 'delete']);
  });
});
