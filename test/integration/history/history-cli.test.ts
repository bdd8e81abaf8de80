/**
 * The run history end to end: real short canary runs on the local mesh through the CLI
 * in-process append to reports/index.jsonl (also with --report-dir), then `mesh-exp history`
 * lists them and `mesh-exp report --trend` writes trend.html.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { historyEntrySchema } from '../../../src/history/entry-schema.js';
import { runCliInProcess } from '../../support/cli.js';
import { useHistoryRuns } from '../../support/history-runs.js';

describe('history of real runs', () => {
  const runs = useHistoryRuns();

  it('each run appended one valid line to reports/index.jsonl, the --report-dir run too', async () => {
    const lines = (await readFile(path.join(runs.cwd, 'reports/index.jsonl'), 'utf8')).trim().split('\n');
    const entries = lines.map((l) => historyEntrySchema.parse(JSON.parse(l)));
    expect(entries.map((e) => e.experiment)).toEqual(['canary-short', 'canary-short', 'other-short']);
    expect(entries[1]!.runDir).toBe('second');
    expect(entries[0]!.runDir).toMatch(/^canary-short-\d{8}-\d{6}$/);
    for (const e of entries) {
      expect(await stat(path.join(runs.cwd, 'reports', e.runDir, 'result.json'))).toBeTruthy();
      const result = JSON.parse(await readFile(path.join(runs.cwd, 'reports', e.runDir, 'result.json'), 'utf8'));
      expect(e).toMatchObject({ outcome: result.outcome, exitCode: result.exitCode, startedAt: result.startedAt, steps: result.steps.length });
      const last = result.steps.at(-1).stats.find((s: { version: string }) => s.version === 'v2');
      expect(e.lastStep!.canary).toMatchObject({ version: 'v2', count: last.count, p99: last.latency.p99 });
      expect(e.latency!.canary!.counts.reduce((a, b) => a + b, 0)).toBe(last.count);
      expect(e.overall.canary.p99).not.toBeNull();
    }
  });

  it('`history` lists the runs newest last with a regression column, and states the test', async () => {
    const { code, stdout, stderr } = await runCliInProcess(['history'], runs.cwd);
    expect(code, stderr).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^STARTED \(UTC\)\s+EXPERIMENT\s+OUTCOME\s+CHECKS PASSED\s+CANARY\s+P99\s+ERRORS\s+DURATION\s+REGRESSION$/);
    expect(lines.slice(1, 4).map((l) => l.split(/\s{2,}/)[1])).toEqual(['canary-short', 'canary-short', 'other-short']);
    expect(lines[1]).toMatch(/first run$/);
    expect(lines[2]).toMatch(/(ok|REGRESSION .*)$/);
    expect(lines[3]).toMatch(/first run$/);
    expect(stdout).toContain('Mann-Whitney U');
    expect(stdout).toContain('family-wise α = 0.01');
  });

  it('`history --experiment other-short --output json` gives that run with its figures', async () => {
    const { code, stdout } = await runCliInProcess(['history', '--experiment', 'other-short', '--output', 'json'], runs.cwd);
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { runs: { experiment: string; regression: unknown; latency?: unknown }[]; regressionTest: { alpha: number } };
    expect(out.runs.map((r) => r.experiment)).toEqual(['other-short']);
    expect(out.runs[0]!.regression).toBeNull();
    expect(out.runs[0]!.latency).toBeUndefined();
    expect(out.regressionTest.alpha).toBe(0.01);
  });

  it('`history --since 1h` keeps them, `--since 1ms` none (with a helpful line), `--since 1x` is exit 2', async () => {
    expect((await runCliInProcess(['history', '--since', '1h', '--output', 'json'], runs.cwd)).stdout).toContain('other-short');
    const none = await runCliInProcess(['history', '--since', '1ms'], runs.cwd);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('No runs started in the last 1ms in reports/index.jsonl (it holds 3 runs; drop --experiment or widen --since to see them).\n');
    const bad = await runCliInProcess(['history', '--since', '1x'], runs.cwd);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since "1x" is not a span of time');
  });

  it('`report --trend` writes reports/trend.html with a chart box per experiment and figure', async () => {
    const { code, stdout, stderr } = await runCliInProcess(['report', '--trend'], runs.cwd);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^3 run\(s\) charted, \d flagged as a regression\nwrote reports\/trend\.html\n$/);
    const page = await readFile(path.join(runs.cwd, 'reports/trend.html'), 'utf8');
    for (const id of ['exp-0-latency', 'exp-0-errors', 'exp-0-duration', 'exp-1-latency']) expect(page).toContain(`id="${id}"`);
    expect(page).toContain('<h2>canary-short</h2>');
    expect(page).toContain('Mann-Whitney U');
  });

  it('`history --help` has examples and exit codes', async () => {
    const { code, stdout } = await runCliInProcess(['history', '--help'], runs.cwd);
    expect(code).toBe(0);
    expect(stdout).toContain('$ mesh-exp history --experiment reviews-canary --since 30d');
    expect(stdout).toMatch(/Exit codes:\n  0 .*\n  2 .*\n  3 /);
  });

  it('`report` with neither a run directory nor --trend, or with both, is exit 2', async () => {
    expect((await runCliInProcess(['report'], runs.cwd)).code).toBe(2);
    expect((await runCliInProcess(['report', 'reports/second', '--trend'], runs.cwd)).code).toBe(2);
    expect((await runCliInProcess(['report', 'reports/second', '--since', '1d'], runs.cwd)).code).toBe(2);
  });
});
