/**
 * `mesh-exp run` and `mesh-exp plan` through the CLI in-process (runCli with capture streams).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { createCaptureStream, createContext } from '../../../src/context.js';
import { exitCodesHelp } from '../../../src/errors.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function cli(argv: string[]) {
  const stdout = createCaptureStream();
  const stderr = createCaptureStream();
  const ctx = createContext({ cwd: repoRoot, stdout, stderr, env: {} });
  const code = await runCli(argv, ctx);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const tempDir = () => mkdtemp(path.join(tmpdir(), 'mesh-exp-cli-'));

describe('mesh-exp run', () => {
  // The README's demo, as it runs: with the progress view on, which reads the step's stats four
  // times a second while the load runs. (Those reads once cost 350 ms each and starved the event
  // loop, so the good canary failed its latency SLO whenever progress was shown.)
  it('promotes canary.yaml with the progress view on: exit 0, every check passed', async () => {
    const dir = await tempDir();
    const { code, stdout, stderr } = await cli(['run', 'experiments/canary.yaml', '--report-dir', dir]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('PROMOTED');
    const result = JSON.parse(await readFile(path.join(dir, 'result.json'), 'utf8'));
    expect(result.steps.flatMap((s: { checks: Array<{ verdict: string; message: string }> }) => s.checks.filter((c) => c.verdict !== 'pass').map((c) => c.message))).toEqual([]);
  });

  // What `mesh-exp run x.yaml 2>&1 | cat` (or a CI log) shows: one stream, in write order. Each
  // step's last progress line (the full window) must come before the line judging the step, and
  // nothing of the progress view after the verdict.
  it('in a log (not a TTY), prints each step\'s last figures before its checks line and the verdict last', async () => {
    const dir = await tempDir();
    const both = createCaptureStream();
    const code = await runCli(['run', 'test/fixtures/runner/canary-short.yaml', '--report-dir', dir], createContext({ cwd: repoRoot, stdout: both, stderr: both, env: {} }));
    const lines = both.text().trimEnd().split('\n');
    expect(code, both.text()).toBe(0);
    for (const n of [1, 2, 3]) {
      const judged = lines.findIndex((l) => l.startsWith(`step ${n}/3: `) && l.includes('checks passed'));
      const lastProgress = lines.findLastIndex((l) => l.startsWith(`[step ${n}/3 `));
      expect(judged, both.text()).toBeGreaterThan(lastProgress);
      expect(lines[lastProgress], both.text()).toContain('0:02/0:02');
    }
    expect(lines.at(-2)).toMatch(/^PROMOTED /);
    expect(lines.at(-1)).toMatch(/^report: /);
  });

  it('runs canary-bad.yaml: exit 1, prints the outcome, summary and report path', async () => {
    const dir = await tempDir();
    const { code, stdout, stderr } = await cli(['run', 'experiments/canary-bad.yaml', '--report-dir', dir]);
    expect(code, stderr).toBe(1);
    const result = JSON.parse(await readFile(path.join(dir, 'result.json'), 'utf8'));
    expect(result.outcome).toBe('rolled-back');
    expect(stdout).toContain('ROLLED-BACK');
    expect(stdout).toContain(result.summary);
    expect(stdout).toContain(`report: ${path.relative(repoRoot, path.join(dir, 'report.html'))}`);
    expect(existsSync(path.join(dir, 'report.html'))).toBe(true);
    expect(existsSync(path.join(dir, 'journal.jsonl'))).toBe(true);
    // The plain progress view (stderr is not a TTY) prints the events.
    expect(stderr).toContain('step 1/3: applied canary 25%');
    expect(stderr).toContain('restored the original VirtualService (rollback)');
  });

  it('--output json prints result.json to stdout', async () => {
    const dir = await tempDir();
    const { code, stdout } = await cli(['run', 'test/fixtures/runner/canary-short.yaml', '--report-dir', dir, '--output', 'json', '--no-progress']);
    expect(code).toBe(0);
    expect(stdout).toBe(await readFile(path.join(dir, 'result.json'), 'utf8'));
    expect(JSON.parse(stdout)).toMatchObject({ outcome: 'promoted', exitCode: 0, restored: true });
  });

  it('writes to reports/<name>-<UTC stamp>/ under the working directory by default', async () => {
    const cwd = await tempDir();
    const stdout = createCaptureStream();
    const exp = path.join(repoRoot, 'test/fixtures/runner/canary-short.yaml');
    const code = await runCli(['run', exp, '--no-progress'], createContext({ cwd, stdout }));
    expect(code).toBe(0);
    const report = /report: (reports\/canary-short-\d{8}-\d{6}\/report\.html)/.exec(stdout.text());
    expect(report, stdout.text()).not.toBeNull();
    expect(existsSync(path.join(cwd, report![1]!))).toBe(true);
  });

  it('rejects an experiment whose route does not exist with exit 2, before changing anything', async () => {
    const dir = await tempDir();
    const { code, stderr } = await cli(['run', 'test/fixtures/runner/wrong-route.yaml', '--report-dir', dir]);
    expect(code).toBe(2);
    expect(stderr).toContain('no http route named "no-such-route"');
    expect(stderr).toContain('"reviews-main"');
    expect(existsSync(path.join(dir, 'journal.jsonl'))).toBe(false);
  });

  it('--help shows examples and the exit-code table', async () => {
    const { code, stdout } = await cli(['run', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('mesh-exp run experiments/canary.yaml');
    expect(stdout).toContain(exitCodesHelp());
    expect(stdout).toMatch(/4 +restore failed/);
    expect(stdout).toMatch(/130 +stopped by SIGINT/);
  });
});

describe('mesh-exp plan', () => {
  it('prints each step with the diff of the VirtualService and changes nothing', async () => {
    const { code, stdout, stderr } = await cli(['plan', 'experiments/canary.yaml']);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('Step 1/3: canary 20% (5s)');
    expect(stdout).toContain('+          weight: 80');
    expect(stdout).toContain('+          weight: 20');
    expect(stdout).toContain('Step 3/3: canary 100% (5s)');
    expect(stdout).toContain('On success: promote');
    expect(stdout).toContain('Nothing was changed.');
    // Without a TTY there is no colour.
    expect(stdout).not.toContain('\u001b[');
  });

  it('shows the inserted fault route for fault-abort.yaml, and JSON with --output json', async () => {
    const { code, stdout } = await cli(['plan', 'experiments/fault-abort.yaml', '--output', 'json']);
    expect(code).toBe(0);
    const view = JSON.parse(stdout);
    expect(view.steps).toHaveLength(1);
    expect(view.promotion).toBeNull();
    expect(view.steps[0].label).toBe('fault abort 503 on 10% for end-user=jason');
    expect(view.steps[0].diff).toContain('+    - name: mesh-exp-fault');
    expect(view.steps[0].object.spec.http.map((h: { name: string }) => h.name)).toEqual(['mesh-exp-fault', 'reviews-main']);
  });

  it('colours the diff when colour is allowed', async () => {
    const stdout = createCaptureStream(true);
    const code = await runCli(['plan', 'experiments/mirror.yaml'], createContext({ cwd: repoRoot, stdout, color: true }));
    expect(code).toBe(0);
    expect(stdout.text()).toContain('\u001b[32m+');
  });

  it('shows the DestinationRule diff of traffic.policy beside the VirtualService\'s, text and JSON', async () => {
    const { code, stdout } = await cli(['plan', 'test/fixtures/policy/pool.yaml']);
    expect(code).toBe(0);
    expect(stdout).toContain('  DestinationRule default/reviews:\n--- current\n+++ step 1');
    expect(stdout).toContain('+      trafficPolicy:\n+        connectionPool:\n+          tcp:\n+            maxConnections: 1');
    expect(stdout).toContain('restore the VirtualService exactly as it is now.\n  and DestinationRule default/reviews exactly as it is now');
    const json = JSON.parse((await cli(['plan', 'test/fixtures/policy/pool.yaml', '--output', 'json'])).stdout);
    expect(json.destinationRule.name).toBe('default/reviews');
    expect(json.destinationRule.steps[0]).toContain('+        connectionPool:');
  });

  it('exits 2 for a route that does not exist', async () => {
    const { code, stderr } = await cli(['plan', 'test/fixtures/runner/wrong-route.yaml']);
    expect(code).toBe(2);
    expect(stderr).toContain('no-such-route');
  });
});
