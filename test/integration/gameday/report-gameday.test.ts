/**
 * `mesh-exp report <game-day dir>` through the CLI in-process: the day's combined reports
 * (result.json, index.html, junit.xml, summary.md) rendered again from its result.json, byte for
 * byte as the run wrote them, into the day's directory or --out; a result.json that is not valid
 * refused with each problem at its file:line:col (exit 2), as a run's is; a day that never ended
 * pointed to recover; --compare refused for a day.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGameDayJournal } from '../../../src/gameday/journal.js';
import { REPO_ROOT, runCliInProcess } from '../../support/cli.js';
import { readDayReports } from '../../support/gameday.js';

const REPORTS = ['result.json', 'index.html', 'junit.xml', 'summary.md'];
let dir: string;
const written = new Map<string, string>();

beforeAll(async () => {
  dir = path.join(await mkdtemp(path.join(tmpdir(), 'mesh-exp-gameday-report-')), 'day');
  // Two experiments fail (the second stops the day), the third is skipped: every kind of row.
  const run = await runCliInProcess(['run', 'test/fixtures/gameday/failing-day.yaml', '--report-dir', dir, '--no-progress']);
  expect(run.code, run.stderr).toBe(1);
  for (const name of REPORTS) written.set(name, await readFile(path.join(dir, name), 'utf8'));
}, 60_000);

describe('mesh-exp report <game-day dir>', () => {
  it('writes the four combined reports again from result.json, as the run wrote them', async () => {
    for (const name of REPORTS) await rm(path.join(dir, name));
    // The result.json the day wrote, put back alone.
    await writeFile(path.join(dir, 'result.json'), written.get('result.json')!);
    const out = await runCliInProcess(['report', dir]);
    expect(out.code, out.stderr).toBe(0);
    const summary = (JSON.parse(written.get('result.json')!) as { summary: string }).summary;
    expect(out.stdout).toContain(`game day failing-day: ${summary}\n`);
    for (const name of REPORTS) {
      expect(out.stdout).toContain(`wrote ${path.relative(REPO_ROOT, path.join(dir, name))}`);
      expect(await readFile(path.join(dir, name), 'utf8'), name).toBe(written.get(name));
    }
    // The junit report still has each run's own checks, read from the runs' directories.
    const { suites } = await readDayReports(dir);
    expect(suites.map((s) => [s.name, s.failures, s.skipped])).toEqual([['abort-all-1', '1', '0'], ['abort-all-2', '1', '0'], ['canary-short', '0', '1']]);
  });

  it('takes result.json named directly, and writes into --out (created) leaving the day\'s directory alone', async () => {
    const other = path.join(path.dirname(dir), 'copy', 'nested');
    const before = await readFile(path.join(dir, 'index.html'), 'utf8');
    const out = await runCliInProcess(['report', path.join(dir, 'result.json'), '--out', other]);
    expect(out.code, out.stderr).toBe(0);
    for (const name of REPORTS) expect(await readFile(path.join(other, name), 'utf8'), name).toBe(written.get(name));
    expect(await readFile(path.join(dir, 'index.html'), 'utf8')).toBe(before);
  });

  it('refuses a result.json that is not valid, every problem at its file:line:col (exit 2), and writes nothing', async () => {
    const bad = path.join(path.dirname(dir), 'bad');
    await rm(bad, { recursive: true, force: true });
    const text = written.get('result.json')!.replace('"status": "skipped"', '"status": "maybe"').replace('"maxFailures": 1', '"maxFailures": -1');
    expect(text).not.toBe(written.get('result.json'));
    await writeFile(path.join(path.dirname(dir), 'bad.json'), text);
    const lines = text.split('\n');
    const at = (needle: string) => {
      const i = lines.findIndex((l) => l.includes(needle));
      return `${i + 1}:${lines[i]!.indexOf(needle.split(': ')[1]!) + 1}`;
    };
    const out = await runCliInProcess(['report', path.join(path.dirname(dir), 'bad.json'), '--out', bad]);
    expect(out.code).toBe(2);
    // Named as given (here absolute), as a run's result.json is.
    const shown = path.join(path.dirname(dir), 'bad.json');
    expect(out.stderr).toContain(`${shown}:${at('"maxFailures": -1')} maxFailures:`);
    expect(out.stderr).toContain(`${shown}:${at('"status": "maybe"')} experiments[2].status:`);
    expect(out.stderr).toContain('schema/gameday-result.schema.json');
    expect(out.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(bad)).toBe(false);

    await writeFile(path.join(path.dirname(dir), 'bad.json'), text.slice(0, 200));
    const cut = await runCliInProcess(['report', path.join(path.dirname(dir), 'bad.json')]);
    expect(cut.code).toBe(2);
    expect(cut.stderr).toMatch(new RegExp(`${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ not valid JSON`));
  });

  it('points a day that never ended to recover, and refuses --compare for a day (exit 2)', async () => {
    const killed = path.join(path.dirname(dir), 'killed');
    await mkdir(killed);
    await createGameDayJournal(killed, () => 1).append({ type: 'start', name: 'killed', labels: {}, maxFailures: 0, experiments: [] });
    const out = await runCliInProcess(['report', killed]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('result.json: not found: the game day did not end');
    expect(out.stderr).toContain(`mesh-exp recover ${killed}`);

    const compare = await runCliInProcess(['report', dir, '--compare', path.join(dir, '01-abort-all-1')]);
    expect(compare.code).toBe(2);
    expect(compare.stderr).toContain('--compare compares two runs, not game days');
    // A game day given where a run is expected says what it is.
    const asRun = await runCliInProcess(['report', path.join(dir, '01-abort-all-1'), '--compare', dir]);
    expect(asRun.code).toBe(2);
    expect(asRun.stderr).toContain('is a game day\'s result.json, not a run\'s');
  });
});
