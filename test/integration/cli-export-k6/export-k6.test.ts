/**
 * `mesh-exp export-k6` end to end, in-process: runCli with capture streams, real fixture files.
 * The script is checked as JavaScript (node --check, and one iteration against stub k6 modules);
 * no k6 binary is involved.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { createCaptureStream, createContext } from '../../../src/context.js';
import { createScriptHarness } from '../../support/k6-script-harness.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const SHIFT = 'test/fixtures/valid/shift-steps/experiment.yaml';
const CLUSTER = 'test/fixtures/valid/istio-provider/experiment.yaml';
const MANY = 'test/fixtures/invalid/many-problems/experiment.yaml';

/** Runs the CLI in the repository root and returns its exit code and output. */
async function cli(argv: string[]) {
  const stdout = createCaptureStream(false);
  const stderr = createCaptureStream(false);
  const ctx = createContext({ stdout, stderr, env: {}, cwd: repoRoot });
  const code = await runCli(argv, ctx);
  return { code, out: stdout.text(), err: stderr.text() };
}

describe('mesh-exp export-k6', () => {
  let harness: Awaited<ReturnType<typeof createScriptHarness>>;
  let dir: string;
  beforeAll(async () => {
    harness = await createScriptHarness();
    dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-export-'));
  });
  afterAll(async () => {
    await harness.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints a stepped script for a shift: one ramping run with the steps, thresholds from the SLOs', async () => {
    const { code, out, err } = await cli(['export-k6', SHIFT]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect((await harness.check(out)).code).toBe(0);
    const run = await harness.run(out, { MESH_EXP_TARGET: 'http://127.0.0.1:9/' });
    expect(run.error).toBeNull();
    const scenario = run.options!.scenarios.mesh_exp!;
    expect(scenario.executor).toBe('ramping-arrival-rate');
    // Three steps of 10 s: 8 s of load at 40/s, then 2 s without.
    expect(scenario.stages).toHaveLength(12);
    expect((scenario.stages as { duration: string }[]).slice(0, 4).map((s) => s.duration)).toEqual(['0s', '8000ms', '0s', '2000ms']);
    expect(run.options!.thresholds).toEqual({
      'mesh_exp_failed{version:v2}': ['rate<=0.01'],
      'mesh_exp_latency{version:v2}': ['p(99)<=250'],
    });
  });

  it('-o writes the file; the URL and Host header of the load section are in the script', async () => {
    const file = path.join(dir, 'cluster.k6.js');
    const { code, out, err } = await cli(['export-k6', CLUSTER, '-o', file]);
    expect(code).toBe(0);
    expect(out).toBe('');
    expect(err).toBe(`wrote ${file}\n`);
    const run = await harness.run(await readFile(file, 'utf8'), {}, {
      status: 200,
      headers: { 'X-Version': 'v1' },
      timings: { blocked: 0, connecting: 0, tls_handshaking: 0, duration: 3 },
    });
    expect(run.calls[0]).toMatchObject({ url: 'http://127.0.0.1:8080/productpage', params: { headers: { Host: 'bookinfo.example.com' } } });
    expect(run.options!.scenarios.mesh_exp).toMatchObject({ executor: 'ramping-arrival-rate' });
  });

  it('experiments/canary-vegeta.yaml: its named requests, data rows and ramping stages are in the script (no default rate)', async () => {
    const { code, out, err } = await cli(['export-k6', 'experiments/canary-vegeta.yaml']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const spec = JSON.parse(/^const SPEC = (\{[\s\S]*?\n\});$/m.exec(out)![1]!);
    expect(spec).toMatchObject({
      requests: [
        { name: 'read-reviews', method: 'GET', path: '/reviews/{{ product }}', headers: { 'x-user': '{{ user }}', Host: 'reviews' }, body: null, weight: 4 },
        { name: 'rate-product', method: 'POST', path: '/reviews/{{ product }}/ratings', body: '{"user": "{{ user }}", "stars": {{ stars }}}', weight: 1 },
      ],
      tagRequests: true,
      seed: 7,
      rate: 120,
      profile: { startRate: 20, stages: [{ rate: 120, durationMs: 3000 }, { rate: 120, durationMs: 2000 }] },
    });
    const csv = (await readFile(path.join(repoRoot, 'experiments/data/reviews-users.csv'), 'utf8')).trim().split('\n');
    expect(spec.data).toEqual({ file: 'data/reviews-users.csv', order: 'round-robin', columns: csv[0]!.split(',') });
    const rows = JSON.parse(/^const ROWS = new SharedArray\("mesh_exp_rows", \(\) => (.*)\);$/m.exec(out)![1]!);
    expect(rows).toHaveLength(csv.length - 1);
    // RFC 4180 quoting undone: the value as sent.
    expect(rows.at(-1)).toEqual(['erin "e." smith', '2', '5']);
    const ok = { status: 200, headers: { 'X-Version': 'v2' }, timings: { blocked: 0, connecting: 0, tls_handshaking: 0, duration: 3 } };
    const run = await harness.run(out, { MESH_EXP_TARGET: 'http://127.0.0.1:9/' }, ok, 10);
    expect(run.error).toBeNull();
    // Three steps of 5 s, each restarting the ramp: 20 → 120 over 3 s, 120 for 2 s.
    const window = [
      { target: 20, duration: '0s' },
      { target: 120, duration: '3000ms' },
      { target: 120, duration: '2000ms' },
    ];
    expect(run.options!.scenarios.mesh_exp).toMatchObject({ executor: 'ramping-arrival-rate', startRate: 20, timeUnit: '1s', stages: [...window, ...window, ...window] });
    expect(out).not.toMatch(/"rate": 50\b/);
    // Filled from the rows: no placeholder goes on the wire.
    for (const c of run.calls) expect(JSON.stringify(c)).not.toContain('{{');
    expect(run.calls.map((c) => c.params.tags.request)).toContain('read-reviews');
  });

  it('an invalid experiment prints every problem and exits 2; nothing is written', async () => {
    const file = path.join(dir, 'never.js');
    const { code, out, err } = await cli(['export-k6', MANY, '-o', file]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.split('\n').filter((l) => l.startsWith(`${MANY}:`))).toHaveLength(7);
    expect(err).toContain('error: 7 problems found');
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
  });

  it('an unwritable -o path is a runtime error (exit 3) with a hint', async () => {
    const { code, err } = await cli(['export-k6', SHIFT, '-o', path.join(dir, 'no', 'such', 'dir', 'x.js')]);
    expect(code).toBe(3);
    expect(err).toMatch(/error: cannot write .*x\.js: ENOENT/);
    expect(err).toContain('hint: check that the directory exists and is writable');
  });

  it('--help shows examples; a missing file argument is a usage error (exit 2)', async () => {
    const help = await cli(['export-k6', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Examples:');
    expect(help.out).toContain('mesh-exp export-k6 experiments/canary.yaml -o canary.k6.js');
    const none = await cli(['export-k6']);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/missing required argument 'file'/);
    expect((await cli(['--help'])).out).toContain('export-k6');
  });
});
