/**
 * `mesh-exp run` and `mesh-exp validate` on game days through the CLI in-process: the shipped
 * experiments/gameday.yaml run on the local mesh (each experiment in its own run directory inside
 * the day's, the combined reports checked with ajv and fast-xml-parser), a day validate and run
 * refuse alike with every experiment's problems at once, and an unknown kind.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDayReports } from '../../support/gameday.js';
import { runCliInProcess } from '../../support/cli.js';

const tempDir = () => mkdtemp(path.join(tmpdir(), 'mesh-exp-gameday-'));

describe('mesh-exp run experiments/gameday.yaml', () => {
  it('runs the canary, the fault and the mirror in order and writes the combined reports: exit 0', async () => {
    const dir = await tempDir();
    const started = Date.now();
    const { code, stdout, stderr } = await runCliInProcess(['run', 'experiments/gameday.yaml', '--report-dir', dir, '--no-progress']);
    expect(code, stderr).toBe(0);
    // The brief: well under a minute for the whole day.
    expect(Date.now() - started).toBeLessThan(50_000);
    expect(stdout).toContain('GAME DAY PASSED');
    expect((await readdir(dir)).sort()).toEqual(['01-reviews-canary', '02-reviews-fault-abort', '03-reviews-mirror-short', 'gameday.jsonl', 'index.html', 'junit.xml', 'result.json', 'summary.md']);

    // Each run is in the history beside the day's directory, naming its day.
    const history = (await readFile(path.join(path.dirname(dir), 'index.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { runDir: string; gameDay?: { name: string; dir: string } });
    expect(history.filter((h) => h.gameDay?.dir === path.basename(dir)).map((h) => [h.runDir, h.gameDay!.name])).toEqual(['01-reviews-canary', '02-reviews-fault-abort', '03-reviews-mirror-short'].map((r) => [`${path.basename(dir)}/${r}`, 'reviews-game-day']));

    const { result, schemaErrors, suites, html, markdown } = await readDayReports(dir);
    expect(schemaErrors).toBeNull();
    expect(result).toMatchObject({ kind: 'GameDay', name: 'reviews-game-day', verdict: 'pass', failures: 0, maxFailures: 0, exitCode: 0 });
    expect(result.experiments.map((e) => [e.name, e.source, e.status, e.outcome, e.restored])).toEqual([
      ['reviews-canary', 'canary.yaml', 'passed', 'promoted', true],
      ['reviews-fault-abort', 'fault-abort.yaml', 'passed', 'passed', true],
      ['reviews-mirror-short', 'inline', 'passed', 'passed', true],
    ]);
    // In order, one after another: each started after the one before ended.
    for (let i = 1; i < 3; i++) expect(result.experiments[i]!.startedAt!).toBeGreaterThanOrEqual(result.experiments[i - 1]!.endedAt!);
    for (const e of result.experiments) expect(existsSync(path.join(dir, e.report!)), e.report).toBe(true);
    expect(html).toContain('<a href="01-reviews-canary/report.html">');
    expect(html.match(/<rect class="b-passed"/g)).toHaveLength(3);
    expect(markdown).toContain('Game day reviews-game-day: passed');

    // One suite per experiment, each with its run's own checks (canary: 3 SLOs × 3 steps).
    expect(suites.map((s) => [s.name, s.tests, s.failures, s.errors])).toEqual([
      ['reviews-canary', '9', '0', '0'],
      ['reviews-fault-abort', '1', '0', '0'],
      ['reviews-mirror-short', '1', '0', '0'],
    ]);
    // The inline mirror has no load of its own: it ran with the day's defaults.load.
    const { readSavedRun } = await import('../../../src/report/read-result.js');
    const mirror = await readSavedRun(path.join(dir, '03-reviews-mirror-short'), dir);
    const load = (mirror.result.experiment as { spec: { load: { path: string; rate: number } } }).spec.load;
    expect([load.path, load.rate]).toEqual(['/reviews/1', 50]);
  }, 90_000);
});

describe('a game day that is not valid', () => {
  it('validate prints the problems of the day and of every experiment at once; run refuses the same and writes nothing', async () => {
    const dir = await tempDir();
    const day = path.join(dir, 'day.yaml');
    await writeFile(path.join(dir, 'bad.yaml'), 'apiVersion: mesh-exp.dev/v1alpha1\nkind: Experiment\nmetadata:\n  name: bad\nspec:\n  target: { virtualService: reviews, host: reviews, stable: v1, canary: v2 }\n  traffic: { shift: { steps: [50, 20] } }\n  local: { manifests: [nowhere] }\n');
    await writeFile(day, [
      'apiVersion: mesh-exp.dev/v1alpha1',
      'kind: GameDay',
      'metadata: { name: bad-day }',
      'spec:',
      '  verdict: someFail',
      '  experiments:',
      '    - path: bad.yaml',
      '    - experiment: { metadata: { name: Inline }, spec: { target: { virtualService: reviews, host: reviews, stable: v1, canary: v2 }, traffic: { mirror: { subset: v2 } }, local: { attach: "http://127.0.0.1:1" } } }',
      '',
    ].join('\n'));
    const validate = await runCliInProcess(['validate', day, '--no-engine-check'], dir);
    expect(validate.code).toBe(2);
    const located = validate.stdout.split('\n').filter((l) => /^\S+:\d+:\d+ /.test(l)).map((l) => l.replace(`${dir}${path.sep}`, ''));
    expect(validate.stdout).toContain('hint: write "verdict: allPass", or "verdict: { maxFailures: 1 }"');
    expect(located).toEqual([
      'day.yaml:5:12 spec.verdict: does not match any allowed form (got the string "someFail")',
      'bad.yaml:7:35 spec.traffic.shift.steps[1]: steps must not decrease: 20 comes after 50',
      `bad.yaml:8:24 spec.local.manifests[0]: manifest file not found: ${path.join(dir, 'nowhere')}`,
      'day.yaml:8:39 spec.experiments[1].experiment.metadata.name: expected a lowercase name (a-z, 0-9, "-", "."), e.g. "reviews-canary", got the string "Inline"',
    ]);
    const run = await runCliInProcess(['run', day, '--report-dir', path.join(dir, 'out'), '--no-progress'], dir);
    expect(run.code).toBe(2);
    // The same problems, each on its own line, before anything started.
    const strip = (text: string) => text.replaceAll(`${dir}${path.sep}`, '');
    for (const line of located) expect(strip(run.stderr)).toContain(strip(line));
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('run and validate name the kinds they accept for an unknown kind (exit 2), located at the kind line', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'x.yaml'), 'apiVersion: mesh-exp.dev/v1alpha1\nkind: Gameday\nmetadata: { name: x }\n');
    for (const command of ['run', 'validate']) {
      const out = await runCliInProcess([command, 'x.yaml'], dir);
      expect(out.code).toBe(2);
      expect(out.stdout + out.stderr).toContain('x.yaml:2:7 kind: unknown kind "Gameday": mesh-exp runs files of kind Experiment or GameDay');
    }
  });

  it('refuses --aa for a game day', async () => {
    const out = await runCliInProcess(['run', 'experiments/gameday.yaml', '--aa']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('is a game day: --aa (A/A mode) runs one experiment file');
  });
});

describe('a game day whose experiments fail', () => {
  it('goes on after a failure with continueOnFailure, stops after one without and skips the rest: exit 1, --output json', async () => {
    const dir = await tempDir();
    const { code, stdout, stderr } = await runCliInProcess(['run', 'test/fixtures/gameday/failing-day.yaml', '--report-dir', dir, '--no-progress', '--output', 'json']);
    expect(code, stderr).toBe(1);
    const printed = JSON.parse(stdout);
    const { result, schemaErrors, suites } = await readDayReports(dir);
    expect(printed).toEqual(result);
    expect(schemaErrors).toBeNull();
    // The skipped one counts against maxFailures too.
    expect(result).toMatchObject({ verdict: 'fail', failures: 3, maxFailures: 1, exitCode: 1 });
    expect(result.experiments.map((e) => [e.name, e.status, e.outcome, e.exitCode])).toEqual([
      ['abort-all-1', 'failed', 'rolled-back', 1],
      ['abort-all-2', 'failed', 'rolled-back', 1],
      ['canary-short', 'skipped', undefined, undefined],
    ]);
    expect(result.experiments[2]!.summary).toBe('skipped: experiment 2 (abort-all-2) did not pass and its entry does not say continueOnFailure');
    expect((await readdir(dir)).filter((f) => /^\d\d-/.test(f))).toEqual(['01-abort-all-1', '02-abort-all-2']);
    expect(suites.map((s) => [s.name, s.failures, s.skipped])).toEqual([
      ['abort-all-1', '1', '0'],
      ['abort-all-2', '1', '0'],
      ['canary-short', '0', '1'],
    ]);
  }, 60_000);
});
