/**
 * load.stages on both engines, against a real local server: the built-in generator sends exactly
 * the profile's integral ceil(Λ(D)); vegeta (the real binary) runs the ramp as 1 s constant-rate
 * segments with exact counts per segment, so its total is exact as well, give or take one request
 * per segment when vegeta's pacer runs late past its half-period of slack. The per-second counts
 * rise across a ramp (coarse: 100 requests apart per second). An abort mid-ramp leaves no vegeta
 * process.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBuiltinGenerator } from '../../../src/load/builtin/builtin-generator.js';
import { arrivalCountOf } from '../../../src/load/rate-profile.js';
import type { LoadGenerator, RateProfile, Sample } from '../../../src/load/types.js';
import { createVegetaGenerator } from '../../../src/load/vegeta/vegeta-generator.js';
import { vegetaSegments } from '../../../src/load/vegeta/vegeta-segments.js';
import { REPO_ROOT, runCliInProcess } from '../../support/cli.js';
import { alternatingVersions, testLoadPlan, useTestServer } from '../../support/load-test-server.js';
import { requireTool } from '../../support/require-tool.js';
import { groupGone, runVegetaUntilAbort } from '../../support/vegeta-abort.js';
import { writeShortCanary } from '../../support/short-canary.js';

const binary = requireTool(path.join(REPO_ROOT, '.tools/vegeta/bin/vegeta'), 'the vegeta load.stages tests (scripts/provision-tools.sh builds it)');
const never = new AbortController().signal;
const servers = useTestServer();

/** 0 → 300 req/s over 3 s: Λ(t) = 50 t², so 50, 150 and 250 requests in seconds 1, 2 and 3. */
const ramp: RateProfile = { startRate: 0, stages: [{ rate: 300, durationMs: 3000 }] };

/** Requests per whole second since `t0` (epoch ms). */
function perSecond(samples: Sample[], t0: number, seconds: number): number[] {
  const out = new Array<number>(seconds).fill(0);
  for (const s of samples) {
    const i = Math.min(seconds - 1, Math.max(0, Math.floor((s.time - t0) / 1000)));
    out[i]!++;
  }
  return out;
}

async function runRamp(generator: LoadGenerator) {
  const server = await servers.start(alternatingVersions);
  const samples: Sample[] = [];
  const t0 = Date.now();
  const summary = await generator.run(testLoadPlan(server.url, { rate: 0, profile: ramp, durationMs: 3000 }), (s) => samples.push(s), never);
  return { summary, samples, t0, received: server.received() };
}

describe('load.stages with the built-in generator', () => {
  it('sends exactly ceil(Λ(D)) requests, more in each second of a rising ramp', async () => {
    const { summary, samples, t0, received } = await runRamp(createBuiltinGenerator());
    expect(arrivalCountOf(ramp, 3000)).toBe(450);
    expect(summary).toMatchObject({ scheduled: 450, completed: 450, failed: 0, dropped: 0 });
    expect(received).toBe(450);
    const counts = perSecond(samples, t0, 3);
    expect(counts[0]!).toBeLessThan(counts[1]!);
    expect(counts[1]!).toBeLessThan(counts[2]!);
  });
});

describe.skipIf(binary === undefined)('load.stages with the real vegeta', () => {
  it('sends the profile\'s count in 1 s segments (exact per segment, one late request per segment at most), rising per second', async () => {
    const segments = vegetaSegments(ramp, 3000);
    expect(segments.map((s) => s.count)).toEqual([50, 150, 250]);
    const { summary, samples, t0, received } = await runRamp(createVegetaGenerator());
    process.stderr.write(`vegeta ramp: ${summary.scheduled} of 450 requests, per second ${perSecond(samples, t0, 4).join(', ')}\n`);
    expect(Math.abs(summary.scheduled - 450)).toBeLessThanOrEqual(segments.length);
    expect(summary).toMatchObject({ completed: summary.scheduled, failed: 0, dropped: 0 });
    expect(received).toBe(summary.scheduled);
    const counts = perSecond(samples, t0, 3);
    expect(counts[0]!).toBeLessThan(counts[1]!);
    expect(counts[1]!).toBeLessThan(counts[2]!);
  });

  it('on abort mid-ramp stops every segment\'s vegeta and leaves no process group', async () => {
    const server = await servers.start(alternatingVersions);
    const profile: RateProfile = { startRate: 20, stages: [{ rate: 200, durationMs: 30_000 }] };
    // Past the first segment (20+ requests), inside a later one.
    const { elapsedMs, seen, tracked } = await runVegetaUntilAbort(testLoadPlan(server.url, { profile, durationMs: 30_000 }), 60);
    expect(elapsedMs).toBeLessThan(10_000);
    // At least two segments ran: attack and encode of each.
    expect(seen.size).toBeGreaterThanOrEqual(4);
    expect(tracked.size).toBe(0);
    for (const pgid of seen) expect(groupGone(pgid), `group ${pgid}`).toBe(true);
  });
});

describe('load.stages with a failing vegeta', () => {
  it('turns the first failing segment into a RuntimeError with its stderr, and starts no later segment', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-stages-'));
    try {
      // A stand-in that notes each start, then fails as vegeta does on a bad flag.
      const fake = path.join(dir, 'vegeta');
      await writeFile(fake, `#!/bin/sh\necho "$1" >> ${dir}/starts\necho "flag provided but not defined: -x" >&2\nexit 3\n`, { mode: 0o755 });
      const plan = testLoadPlan('http://127.0.0.1:1/', { profile: { startRate: 50, stages: [{ rate: 50, durationMs: 5000 }] }, durationMs: 5000 });
      const err = await createVegetaGenerator({ binary: fake }).run(plan, () => {}, never).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'RuntimeError' });
      expect((err as Error).message).toBe('vegeta attack exited with code 3; its last stderr lines:\nflag provided but not defined: -x');
      // The first segment's attack and encode only, not the four segments after it.
      expect((await readFile(path.join(dir, 'starts'), 'utf8')).trim().split('\n').sort()).toEqual(['attack', 'encode']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('load.stages through the CLI on the local mesh', () => {
  it('plan shows the stages; run ramps each step, promotes, and the progress line shows the target rate', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-stages-'));
    try {
      await writeShortCanary(dir, (text) => text.replace('    rate: 50\n', '    startRate: 10\n    stages: [{rate: 60, duration: 1s}, {rate: 60, duration: 500ms}]\n'), 'stages:');
      const plan = await runCliInProcess(['plan', path.join(dir, 'x.yaml')]);
      expect(plan.code, plan.stderr).toBe(0);
      expect(plan.stdout).toContain('load stages 10 → 60 req/s over 1s, 60 req/s for 500ms, then 60 req/s (restarting each step) (builtin)');
      const run = await runCliInProcess(['run', path.join(dir, 'x.yaml'), '--report-dir', path.join(dir, 'report')]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/req\/s \(target \d+\.\d\)/);
      const result = JSON.parse(await readFile(path.join(dir, 'report', 'result.json'), 'utf8'));
      expect(result.outcome).toBe('promoted');
      // The profile restarts at each 2 s step: Λ(2 s) = 35 + 30 + 30 = 95 requests in each.
      const all = (result.steps as { stats: { version: string; count: number }[] }[]).map((s) => s.stats.find((v) => v.version === 'all')?.count);
      expect(all).toEqual([95, 95]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
