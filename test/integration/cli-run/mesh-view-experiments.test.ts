/**
 * The shipped experiments judged on the mesh's own view (circuit-breaker, outlier-ejection,
 * retry-absorbs-abort), run for real through the CLI in-process on the local mesh, with
 * traffic.policy / traffic.retries applied by provider local; and each gate shown to close: the
 * same load without the policy (or retries) fails the same SLOs. The mesh-view checks reach
 * result.json, junit.xml and report.html like any other.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../../../src/model/result.js';
import { runCliInProcess } from '../../support/cli.js';

async function run(file: string) {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-mesh-view-'));
  const out = await runCliInProcess(['run', file, '--no-progress', '--report-dir', dir]);
  const result = JSON.parse(await readFile(path.join(dir, 'result.json'), 'utf8')) as RunResult;
  const read = (name: string) => readFile(path.join(dir, name), 'utf8');
  const check = (kind: string) => result.steps[0]!.checks.find((c) => c.kind === kind) as CheckResult;
  const stats = (version: string) => result.steps[0]!.stats.find((s) => s.version === version)!;
  return { ...out, result, read, check, stats };
}

describe('shipped mesh-view experiments (CLI in-process, local mesh)', () => {
  it('circuit-breaker.yaml: the breaker sheds part of the burst as UO, within 30%, and v2 stays fast', async () => {
    const r = await run('experiments/circuit-breaker.yaml');
    expect(r.code, r.stderr + r.result.summary).toBe(0);
    expect(r.result.outcome).toBe('passed');
    const uo = r.check('response-flag');
    expect(uo).toMatchObject({ name: 'breaker-sheds-the-burst', subject: 'all', verdict: 'pass' });
    // Every UO answer is a 503 the client saw without a version: the mesh's count is the client's.
    expect(uo.message).toContain(`${r.stats('unknown').count} of ${r.stats('all').count} requests flagged UO`);
    expect(uo.value!).toBeGreaterThan(0.01);
    expect(uo.value!).toBeLessThanOrEqual(0.3);
    expect(r.stats('v2').errors).toBe(0);
    expect(await r.read('junit.xml')).toContain('name="breaker-sheds-the-burst"');
    expect(await r.read('report.html')).toContain('all UO share');
  }, 60_000);

  it('outlier-ejection.yaml: the broken replica of v2 is ejected once and the canary\'s errors stay under 2%', async () => {
    const r = await run('experiments/outlier-ejection.yaml');
    expect(r.code, r.stderr + r.result.summary).toBe(0);
    const ej = r.check('ejections');
    expect(ej).toMatchObject({ name: 'canary-ejections', verdict: 'pass', value: 1 });
    expect(ej.message).toContain('mesh-side: 1 ejection enforced in the step');
    // Three 500s in a row eject it: about three failures before, none after (round robin over 3 replicas).
    expect(r.stats('v2').errors).toBeGreaterThanOrEqual(3);
    expect(r.check('error-rate').verdict).toBe('pass');
    expect(await r.read('junit.xml')).toContain('name="canary-ejections"');
    // The step's events (the report's timeline) name the replica the mesh ejected.
    expect(r.result.events.map((e) => e.message)).toContainEqual(expect.stringMatching(/^step 1\/1: ejected 127\.0\.0\.1:\d+ of reviews v2 after 3 consecutive 5xx$/));
  }, 60_000);

  it('retry-absorbs-abort.yaml: retries hide v2\'s 10% of 500s and most retries succeed', async () => {
    const r = await run('experiments/retry-absorbs-abort.yaml');
    expect(r.code, r.stderr + r.result.summary).toBe(0);
    const retry = r.check('retry-success-rate');
    expect(retry.verdict).toBe('pass');
    // ~400 v2 requests, 10% failing at first: ~40 retried; 5-sigma binomial bound 40 ± 5·sqrt(400·.1·.9) = 40 ± 30.
    expect(retry.samples).toBeGreaterThan(10);
    expect(retry.value!).toBeGreaterThanOrEqual(0.7);
    expect(r.check('error-rate')).toMatchObject({ verdict: 'pass' });
    expect(r.stats('v2').errors).toBeLessThanOrEqual(2);
  }, 60_000);

  it('the same flaky v2 without retries fails the error rate, and the retry rate has no data', async () => {
    const r = await run('test/fixtures/mesh-view/retry-without-retries.yaml');
    expect(r.code).toBe(1);
    expect(r.check('error-rate').verdict).toBe('fail');
    expect(r.check('retry-success-rate')).toMatchObject({ verdict: 'no-data', value: null });
    expect(r.check('retry-success-rate').message).toContain("no retries on the canary's cluster in the step");
    // summary.md lists it among the checks that did not pass, with the reason.
    expect(await r.read('summary.md')).toMatch(/\| canary-retry-success-rate \| — \| ≥ 70\.00% \| 0 \| — \| no data \| canary retry success rate: no data \(no retries on the canary's cluster in the step\) \|/);
  }, 60_000);

  it('the same broken replica without outlier detection fails both gates', async () => {
    const r = await run('test/fixtures/mesh-view/outlier-without-detection.yaml');
    expect(r.code).toBe(1);
    expect(r.check('ejections')).toMatchObject({ verdict: 'fail', value: 0 });
    // A third of v2's requests reach the broken replica: 5 sigma at n ≈ 250 is 0.33 ± 0.15.
    expect(r.check('error-rate').value!).toBeGreaterThan(0.18);
  }, 60_000);
});
