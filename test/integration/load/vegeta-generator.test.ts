/**
 * The vegeta generator against the real vegeta binary (v12.13.0, from scripts/provision-tools.sh):
 * counts and version split, error classification, abort leaving no process, a whole run.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSampleRecorder } from '../../../src/load/recorder.js';
import type { Sample } from '../../../src/load/types.js';
import { findVegeta } from '../../../src/load/vegeta/find-vegeta.js';
import { createVegetaGenerator } from '../../../src/load/vegeta/vegeta-generator.js';
import { REPO_ROOT, runCliInProcess } from '../../support/cli.js';
import { alternatingVersions, freePort, testLoadPlan, useTestServer } from '../../support/load-test-server.js';
import { requireTool } from '../../support/require-tool.js';
import { groupGone, runVegetaUntilAbort } from '../../support/vegeta-abort.js';
import { writeShortCanary } from '../../support/short-canary.js';

const binary = requireTool(path.join(REPO_ROOT, '.tools/vegeta/bin/vegeta'), 'the vegeta load-generator tests (scripts/provision-tools.sh builds it)');
const never = new AbortController().signal;
const servers = useTestServer();
const { holdFor } = servers;

describe.skipIf(binary === undefined)('vegeta generator against the real vegeta', () => {
  it('finds the provisioned binary as v12.13.0', async () => {
    expect(await findVegeta({ env: {} })).toBe(binary);
  });

  it('holds 100 req/s for 2 s against a 50 ms server, split by version header, Host sent', async () => {
    const hosts = new Set<string | undefined>();
    const server = await servers.start((req, res, i) => {
      hosts.add(req.headers.host);
      holdFor(50)(req, res, i);
    });
    const recorder = createSampleRecorder();
    const samples: Sample[] = [];
    const t0 = performance.now();
    const summary = await createVegetaGenerator().run(testLoadPlan(`${server.url}/p`, { rate: 100, durationMs: 2000, hostHeader: 'reviews' }), (s) => {
      samples.push(s);
      recorder.record(s);
    }, never);
    const wall = performance.now() - t0;
    process.stderr.write(`vegeta: ${summary.scheduled} requests in ${(wall / 1000).toFixed(2)} s (${(summary.scheduled / 2).toFixed(1)} req/s over the 2 s attack)\n`);
    expect(Math.abs(summary.scheduled - 200)).toBeLessThanOrEqual(4);
    expect(summary).toMatchObject({ completed: summary.scheduled, failed: 0, dropped: 0 });
    expect(server.received()).toBe(summary.scheduled);
    expect([...hosts]).toEqual(['reviews']);
    const byVersion = { v1: samples.filter((s) => s.version === 'v1').length, v2: samples.filter((s) => s.version === 'v2').length };
    expect(byVersion.v1 + byVersion.v2).toBe(summary.scheduled);
    expect(Math.abs(byVersion.v1 - byVersion.v2)).toBeLessThanOrEqual(1);
    expect(Math.min(...samples.map((s) => s.latencyMs))).toBeGreaterThanOrEqual(49);
    // The same recorder the built-in generator feeds: per-version histograms.
    const stats = recorder.stats(0, Date.now() + 60_000);
    expect(stats.filter((v) => v.version === 'v1' || v.version === 'v2').map((v) => v.count)).toEqual([byVersion.v1, byVersion.v2]);
    expect(stats.find((v) => v.version === 'v1')?.latency.p50).toBeGreaterThanOrEqual(49);
  });

  it('classifies a request slower than the timeout as "timeout"', async () => {
    const server = await servers.start(holdFor(1000));
    const samples: Sample[] = [];
    const summary = await createVegetaGenerator().run(testLoadPlan(server.url, { rate: 10, durationMs: 300, timeoutMs: 200 }), (s) => samples.push(s), never);
    expect(summary.failed).toBeGreaterThan(0);
    expect(new Set(samples.map((s) => s.error))).toEqual(new Set(['timeout']));
  });

  it('classifies a refused connection as "connect"', async () => {
    const port = await freePort();
    const samples: Sample[] = [];
    await createVegetaGenerator().run(testLoadPlan(`http://127.0.0.1:${port}/`, { rate: 10, durationMs: 300 }), (s) => samples.push(s), never);
    expect(samples.length).toBeGreaterThan(0);
    expect(new Set(samples.map((s) => `${s.status}/${s.error}`))).toEqual(new Set(['0/connect']));
  });

  it('on abort stops vegeta at once and leaves no vegeta process (groups tracked, then gone)', async () => {
    const server = await servers.start(alternatingVersions);
    const { elapsedMs, seen, tracked } = await runVegetaUntilAbort(testLoadPlan(server.url, { rate: 50, durationMs: 30_000 }), 10);
    expect(elapsedMs).toBeLessThan(5000);
    expect(seen.size).toBe(2);
    expect(tracked.size).toBe(0);
    for (const pgid of seen) expect(groupGone(pgid), `group ${pgid}`).toBe(true);
  });

  it('turns a failing vegeta into a RuntimeError quoting its last stderr lines', async () => {
    // A stand-in that fails the way vegeta does on a bad flag: stderr, then a non-zero exit.
    const dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-vegeta-'));
    const fake = path.join(dir, 'vegeta');
    await writeFile(fake, '#!/bin/sh\necho "first line" >&2\necho "flag provided but not defined: -lazy" >&2\nexit 3\n', { mode: 0o755 });
    const err = await createVegetaGenerator({ binary: fake }).run(testLoadPlan('http://127.0.0.1:1/'), () => {}, never).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'RuntimeError', exitCode: 3 });
    expect((err as Error).message).toBe('vegeta attack exited with code 3; its last stderr lines:\nfirst line\nflag provided but not defined: -lazy');
  });

  it('mesh-exp run with generator vegeta promotes on the local mesh; result.json names the engine', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-vegeta-'));
    await writeShortCanary(dir, (text) => text.replace('  load:\n', '  load:\n    generator: vegeta\n'), 'generator: vegeta');
    const { code, stderr } = await runCliInProcess(['run', path.join(dir, 'x.yaml'), '--report-dir', path.join(dir, 'report')]);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(await readFile(path.join(dir, 'report', 'result.json'), 'utf8'));
    expect(result).toMatchObject({ outcome: 'promoted', environment: { generator: 'vegeta', engine: 'vegeta' } });
  }, 30_000);
});
