import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentSchema, type ExperimentInput } from '../../experiment/schema.js';
import { createScriptHarness, type StubResponse } from '../../../test/support/k6-script-harness.js';
import { generateK6Script, k6StepsFromPlan } from './script.js';
import { planSteps } from '../../experiment/step-plan.js';

function experiment(load: Record<string, unknown> = {}, extra: Partial<ExperimentInput['spec']> = {}) {
  return experimentSchema.parse({
    apiVersion: 'mesh-exp.dev/v1alpha1',
    kind: 'Experiment',
    metadata: { name: 'reviews-canary' },
    spec: {
      target: { provider: 'istio', virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v2' },
      traffic: { fault: { abort: { httpStatus: 503 }, duration: '20s' } },
      load: { url: 'http://127.0.0.1:8080/reviews?x=1', rate: 40, timeout: '2s', ...load },
      slos: [
        { kind: 'latency', percentile: 'p99', max: '50ms' },
        { kind: 'latency', subject: 'all', percentile: 'p50', max: '10ms' },
        { kind: 'error-rate', subject: 'stable', max: '1%' },
      ],
      ...extra,
    },
  });
}

const OK: StubResponse = {
  status: 200,
  headers: { 'X-Version': 'v2' },
  timings: { blocked: 0.5, connecting: 1, tls_handshaking: 0, duration: 10 },
};

describe('generateK6Script', () => {
  let harness: Awaited<ReturnType<typeof createScriptHarness>>;
  beforeAll(async () => {
    harness = await createScriptHarness();
  });
  afterAll(() => harness.close());

  it('is a valid ES module importing k6/http and k6/metrics', async () => {
    const script = generateK6Script(experiment());
    expect(script).toContain("import http from 'k6/http';");
    expect(script).toContain("import { Trend, Counter, Rate } from 'k6/metrics';");
    const checked = await harness.check(script);
    expect(checked.stderr).toBe('');
    expect(checked.code).toBe(0);
  });

  it('one step: a constant-arrival-rate scenario sized from rate x timeout, and thresholds from the SLOs', async () => {
    const run = await harness.run(generateK6Script(experiment()));
    expect(run.error).toBeNull();
    expect(run.options!.scenarios).toEqual({
      mesh_exp: { executor: 'constant-arrival-rate', rate: 40, timeUnit: '1s', duration: '20000ms', preAllocatedVUs: 10, maxVUs: 80 },
    });
    expect(run.options!.thresholds).toEqual({
      'mesh_exp_latency{version:v2}': ['p(99)<=50'],
      mesh_exp_latency: ['med<=10'],
      'mesh_exp_failed{version:v1}': ['rate<=0.01'],
    });
    expect(run.metrics).toEqual([
      { type: 'trend', name: 'mesh_exp_latency', isTime: true },
      { type: 'counter', name: 'mesh_exp_errors', isTime: false },
      { type: 'rate', name: 'mesh_exp_failed', isTime: false },
    ]);
  });

  it('several steps: one ramping-arrival-rate run with a jump at each step boundary and pauses', async () => {
    const exp = experiment({ duration: '8s' }, { traffic: { shift: { steps: [10, 100], interval: '10s' } } });
    const steps = k6StepsFromPlan(planSteps(exp), 40);
    expect(steps).toEqual([
      { rate: 40, loadMs: 8000, idleMs: 2000 },
      { rate: 40, loadMs: 8000, idleMs: 2000 },
    ]);
    const stepped = [{ rate: 10, loadMs: 1000, idleMs: 0 }, { rate: 2.5, loadMs: 2000, idleMs: 500 }];
    const run = await harness.run(generateK6Script(exp, { steps: stepped }));
    expect(run.options!.scenarios.mesh_exp).toEqual({
      executor: 'ramping-arrival-rate',
      startRate: 10_000,
      timeUnit: '1000s',
      stages: [
        { target: 10_000, duration: '0s' },
        { target: 10_000, duration: '1000ms' },
        { target: 2500, duration: '0s' },
        { target: 2500, duration: '2000ms' },
        { target: 0, duration: '0s' },
        { target: 0, duration: '500ms' },
      ],
      preAllocatedVUs: 3,
      maxVUs: 20,
    });
  });

  it('MESH_EXP_TARGET, MESH_EXP_RATE and MESH_EXP_DURATION override the experiment', async () => {
    const script = generateK6Script(experiment(), { steps: [{ rate: 40, loadMs: 1000, idleMs: 0 }, { rate: 80, loadMs: 1000, idleMs: 0 }] });
    const env = { MESH_EXP_TARGET: 'http://other:1/', MESH_EXP_RATE: '100', MESH_EXP_DURATION: '1m' };
    const run = await harness.run(script, env, OK);
    expect(run.options!.scenarios.mesh_exp).toMatchObject({ executor: 'constant-arrival-rate', rate: 100, duration: '1m', maxVUs: 200 });
    expect(run.calls[0]!.url).toBe('http://other:1/');
    const scaled = await harness.run(script, { MESH_EXP_RATE: '20' });
    expect((scaled.options!.scenarios.mesh_exp!.stages as { target: number }[]).map((s) => s.target)).toEqual([20, 20, 40, 40]);
    expect((await harness.run(script, { MESH_EXP_RATE: 'fast' })).error).toMatch(/MESH_EXP_RATE must be a positive number/);
  });

  it('sends the request of the load spec and tags latency and failures by the canonicalised version header', async () => {
    const exp = experiment({ method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' }, host: 'reviews.local', versionHeader: 'x-served-BY' });
    const run = await harness.run(generateK6Script(exp), {}, { ...OK, status: 503, headers: { 'X-Served-By': 'v1' } });
    expect(run.calls).toEqual([
      {
        method: 'POST',
        url: 'http://127.0.0.1:8080/reviews?x=1',
        body: '{"a":1}',
        params: { headers: { 'content-type': 'application/json', Host: 'reviews.local' }, timeout: '2000ms', redirects: 0, tags: { experiment: 'reviews-canary' } },
      },
    ]);
    const tags = { version: 'v1', status: '503' };
    expect(run.adds).toEqual([
      { name: 'mesh_exp_latency', value: 11.5, tags },
      { name: 'mesh_exp_failed', value: true, tags },
      { name: 'mesh_exp_errors', value: 1, tags },
    ]);
  });

  it('a request without a response is tagged version "unknown", status "0" and its k6 error code', async () => {
    const run = await harness.run(generateK6Script(experiment()), {}, { ...OK, status: 0, headers: {}, error_code: 1050 });
    expect(run.adds[0]!.tags).toEqual({ version: 'unknown', status: '0', error_code: '1050' });
  });

  it('a local experiment without a fixed port needs MESH_EXP_TARGET; the Host header defaults to target.host', async () => {
    const exp = experiment({ url: undefined, path: '/r' }, { target: { virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v2' }, local: { manifests: ['m.yaml'] } });
    const script = generateK6Script(exp);
    expect((await harness.run(script)).error).toMatch(/set MESH_EXP_TARGET/);
    const run = await harness.run(script, { MESH_EXP_TARGET: 'http://127.0.0.1:9/r' }, OK);
    expect(run.calls[0]!.params.headers).toEqual({ Host: 'reviews' });
    const fixed = structuredClone(exp);
    fixed.spec.local!.listen = '127.0.0.1:8081';
    expect((await harness.run(generateK6Script(fixed), {}, OK)).calls[0]!.url).toBe('http://127.0.0.1:8081/r');
  });

  it('embeds hostile strings as data: quotes, backticks, ${}, newlines and U+2028 cannot break out', async () => {
    const evil = 'a"b\'c`d${globalThis.__pwned = 1}e\nf\r\u2028g\u2029h</script>\\';
    // A header value cannot hold line breaks or U+2028 (validate refuses them, as HTTP does); the body can.
    const evilHeader = 'a"b\'c`d${globalThis.__pwned = 1}e</script>\\';
    const exp = experiment({ headers: { 'x-evil': evilHeader }, body: evil, versionHeader: 'x-version' });
    const script = generateK6Script(exp);
    expect((await harness.check(script)).code).toBe(0);
    const run = await harness.run(script, {}, OK);
    expect(run.error).toBeNull();
    expect(run.calls[0]!.params.headers['x-evil']).toBe(evilHeader);
    expect(run.calls[0]!.body).toBe(evil);
    expect(script).not.toContain('\u2028');
  });

  it('refuses a version name a k6 submetric selector cannot hold', () => {
    const exp = experiment();
    exp.spec.target.canary = 'v2}{x:y';
    expect(() => generateK6Script(exp)).toThrow(/cannot write a k6 threshold for version "v2\}\{x:y"/);
  });
});
