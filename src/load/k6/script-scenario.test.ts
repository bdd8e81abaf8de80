/**
 * The generated k6 script's requests, data and stages, executed in the script harness (plain Node
 * with stub k6 modules): the requests it sends are compared with mesh-exp's own picker, its
 * scenario object with the profile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentSchema } from '../../experiment/schema.js';
import { resolveRequests, type Scenario } from '../../experiment/scenario.js';
import { createScriptHarness, type StubResponse } from '../../../test/support/k6-script-harness.js';
import { createRequestPicker } from '../request-picker.js';
import { generateK6Script } from './script.js';

function experiment(load: Record<string, unknown>, local = true) {
  return experimentSchema.parse({
    apiVersion: 'mesh-exp.dev/v1alpha1',
    kind: 'Experiment',
    metadata: { name: 'scripted' },
    spec: {
      target: { provider: local ? 'local' : 'istio', virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v2' },
      traffic: { shift: { steps: [50, 100], interval: '10s' } },
      load: { timeout: '1s', ...(local ? {} : { url: 'http://gw:8080/base' }), ...load },
      slos: [],
      ...(local ? { local: { manifests: ['m.yaml'], listen: '127.0.0.1:8081' } } : {}),
    },
  });
}

const REQUESTS = {
  headers: { 'x-user': '{{ user }}' },
  requests: [
    { name: 'read', path: '/reviews/{{ product }}', weight: 4 },
    { name: 'rate', method: 'POST', path: '/reviews/{{ product }}/ratings', body: '{"user":"{{ user }}","stars":{{stars}}}', weight: 1 },
    { name: 'ping', path: '/health?u={{user}}', weight: 0.5 },
  ],
  seed: 7,
};

const ROWS = [
  ['alice', '1', '5'],
  ['bob', '2', '3'],
  ['carol', '3', '4'],
  ['dave', '4', '1'],
];

function scenarioOf(exp: ReturnType<typeof experiment>, order?: 'round-robin' | 'random'): Scenario {
  const { load } = exp.spec;
  const data = order ? { file: 'users.csv', order, columns: ['user', 'product', 'stars'], rows: ROWS.map((values, i) => ({ values, line: i + 2 })) } : undefined;
  return { requests: resolveRequests(load, new Map()).requests, ...(data ? { data } : {}), seed: load.seed, scripted: true };
}

const OK: StubResponse = { status: 200, headers: { 'X-Version': 'v1' }, timings: { blocked: 0, connecting: 0, tls_handshaking: 0, duration: 3 } };

type Stage = { target: number; duration: string };

describe('generated k6 script: requests, data, stages', () => {
  let harness: Awaited<ReturnType<typeof createScriptHarness>>;
  beforeAll(async () => {
    harness = await createScriptHarness();
  });
  afterAll(() => harness.close());

  it.each(['round-robin', 'random'] as const)('sends exactly what mesh-exp\'s picker sends, iteration by iteration (order %s), and tags each point with the request', async (order) => {
    const exp = experiment({ ...REQUESTS, data: { file: 'users.csv', order } });
    const scenario = scenarioOf(exp, order);
    const script = generateK6Script(exp, { scenario });
    // The rows are data in the script, not code, made once into an array every VU shares.
    expect(script).toContain('const ROWS = new SharedArray("mesh_exp_rows", () => [["alice","1","5"],["bob","2","3"],');
    expect(script).toMatch(new RegExp(`"data": \\{\\n {4}"file": "users.csv",\\n {4}"order": "${order}",`));
    const picker = createRequestPicker({ scenario, urlOf: (p) => `http://127.0.0.1:8081${p}` });
    const expected = Array.from({ length: 200 }, () => picker.next());
    const run = await harness.run(script, {}, OK, 200);
    expect(run.error).toBeNull();
    expect(run.sharedArrays).toEqual(['mesh_exp_rows']);
    const sent = run.calls.map((c) => ({ method: c.method, url: c.url, headers: c.params.headers, body: c.body ?? undefined, request: c.params.tags.request }));
    expect(sent).toEqual(expected.map((p) => ({ method: p.method, url: p.url, headers: { ...p.headers, Host: 'reviews' }, body: p.body, request: p.name })));
    // By weight 4 : 1 : 0.5 over 200 draws: each request is sent.
    expect(new Set(sent.map((s) => s.request))).toEqual(new Set(['read', 'rate', 'ping']));
    expect(run.adds.filter((a) => a.name === 'mesh_exp_latency').map((a) => a.tags.request)).toEqual(expected.map((p) => p.name));
    // MESH_EXP_ITERATION_OFFSET continues the sequence (each step is a new k6 process).
    const later = await harness.run(script, { MESH_EXP_ITERATION_OFFSET: '150' }, OK, 50);
    expect(later.calls.map((c) => c.url)).toEqual(expected.slice(150).map((p) => p.url));
    expect((await harness.run(script, { MESH_EXP_ITERATION_OFFSET: '-1' })).error).toMatch(/MESH_EXP_ITERATION_OFFSET must be a whole number/);
  });

  it('with load.url, a request without its own path goes to the URL as written; one with a path to its origin', async () => {
    const exp = experiment({ requests: [{ name: 'base' }, { name: 'own', path: '/x?y=1' }] }, false);
    const run = await harness.run(generateK6Script(exp), {}, OK, 40);
    const urls = new Map(run.calls.map((c) => [c.params.tags.request, c.url]));
    expect(Object.fromEntries(urls)).toEqual({ base: 'http://gw:8080/base', own: 'http://gw:8080/x?y=1' });
    expect((await harness.run(generateK6Script(exp), { MESH_EXP_TARGET: 'not-a-url' })).error).toMatch(/MESH_EXP_TARGET must be an absolute URL/);
  });

  it('stages: each load window restarts the profile; the standalone run is one ramping run over the steps', async () => {
    const exp = experiment({ startRate: 10, stages: [{ rate: 100, duration: '4s' }, { rate: 0, duration: '2s' }, { rate: 50, duration: '100ms' }], duration: '8s' });
    const script = generateK6Script(exp);
    // SPEC.rate is the profile's peak, not load.rate's default 50.
    expect(script).toMatch(/"rate": 100,\n {2}"profile": \{\n {4}"startRate": 10,/);
    const run = await harness.run(script);
    expect(run.error).toBeNull();
    const window: Stage[] = [
      { target: 10, duration: '0s' },
      { target: 100, duration: '4000ms' },
      { target: 0, duration: '2000ms' },
      { target: 50, duration: '100ms' },
      { target: 50, duration: '1900ms' },
    ];
    expect(run.options!.scenarios.mesh_exp).toEqual({
      executor: 'ramping-arrival-rate',
      startRate: 10,
      timeUnit: '1s',
      stages: [...window, { target: 0, duration: '0s' }, { target: 0, duration: '2000ms' }, ...window, { target: 0, duration: '0s' }, { target: 0, duration: '2000ms' }],
      preAllocatedVUs: 25,
      maxVUs: 100,
    });
  });

  it('MESH_EXP_DURATION: one window, cut inside a ramp or the last rate held; MESH_EXP_RATE scales every stage; fractional rates per 1000s', async () => {
    const exp = experiment({ startRate: 0, stages: [{ rate: 30, duration: '3s' }, { rate: 30, duration: '1s' }] });
    const script = generateK6Script(exp);
    const scenario = async (env: Record<string, string>) => {
      const run = await harness.run(script, env);
      expect(run.error).toBeNull();
      return run.options!.scenarios.mesh_exp!;
    };
    expect(await scenario({ MESH_EXP_DURATION: '6s' })).toMatchObject({
      executor: 'ramping-arrival-rate',
      startRate: 0,
      timeUnit: '1s',
      stages: [
        { target: 0, duration: '0s' },
        { target: 30, duration: '3000ms' },
        { target: 30, duration: '1000ms' },
        { target: 30, duration: '2000ms' },
      ],
    });
    // Cut at 1.5 s, halfway up the ramp: 15/s there.
    expect((await scenario({ MESH_EXP_DURATION: '1500ms' })).stages).toEqual([
      { target: 0, duration: '0s' },
      { target: 15, duration: '1500ms' },
    ]);
    // Peak 30 → 1.5: every rate scaled by 1.5/30, a fractional rate written per 1000 s.
    expect(await scenario({ MESH_EXP_DURATION: '1m', MESH_EXP_RATE: '1.5' })).toMatchObject({
      timeUnit: '1000s',
      stages: [
        { target: 0, duration: '0s' },
        { target: 1500, duration: '3000ms' },
        { target: 1500, duration: '1000ms' },
        { target: 1500, duration: '56000ms' },
      ],
    });
    expect((await harness.run(script, { MESH_EXP_DURATION: 'soon' })).error).toMatch(/MESH_EXP_DURATION must be a k6 duration/);
  });

  it('an unscripted load tags no request and sends load.path as before', async () => {
    const run = await harness.run(generateK6Script(experiment({ path: '/r' })), {}, OK);
    expect(run.calls[0]!.url).toBe('http://127.0.0.1:8081/r');
    expect(run.adds[0]!.tags).toEqual({ version: 'v1', status: '200' });
  });
});
