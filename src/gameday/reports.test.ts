import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { properties } from '../../test/support/json-schema-properties.js';
import { loadRunResult, XSS } from '../../test/unit/report/fixture.js';
import type { GameDayResult } from '../model/gameday-result.js';
import { writeReports } from '../report/write-reports.js';
import { dayResult } from './day-result.js';
import { renderGameDayHtml } from './html-index.js';
import { renderGameDayMarkdown } from './markdown.js';
import { writeGameDayReports } from './reports.js';
import { buildGameDayResultJsonSchema, GAMEDAY_RESULT_SCHEMA_PATH, renderGameDayResultJsonSchema } from './result-json-schema.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HOSTILE = `${XSS} | *x* [a](javascript:alert(1)) @here \u0000\u001b[31m`;

/** A day of four experiments: one ran (with a run directory), one failed before its run, two skipped. */
function day(): GameDayResult {
  return dayResult({
    start: { name: 'reviews-day', description: HOSTILE, labels: { team: HOSTILE }, maxFailures: 1 },
    startedAt: 1_700_000_000_000,
    endedAt: 1_700_000_030_000,
    stoppedBy: 130,
    experiments: [
      { index: 0, name: 'reviews-canary', source: 'canary.yaml', continueOnFailure: true, status: 'failed', outcome: 'rolled-back', exitCode: 1, restored: true, summary: HOSTILE, startedAt: 1_700_000_000_000, endedAt: 1_700_000_010_000, runDir: '01-reviews-canary', report: '01-reviews-canary/report.html' },
      { index: 1, name: HOSTILE, source: 'inline', continueOnFailure: false, status: 'error', exitCode: 3, restored: true, summary: 'preflight failed', startedAt: 1_700_000_010_000, endedAt: 1_700_000_011_000, runDir: '02-x', report: 'javascript:alert(1)' },
      { index: 2, name: 'reviews-mirror', source: 'mirror.yaml', continueOnFailure: false, status: 'skipped', summary: 'skipped: the game day was stopped by a signal' },
      { index: 3, name: 'last', source: 'inline', continueOnFailure: false, status: 'skipped', summary: 'skipped' },
    ],
  });
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mesh-exp-gameday-reports-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('game day result.json JSON Schema', () => {
  it('is committed and current (run `npm run schema` after changing src/model/gameday-result-schema.ts)', async () => {
    const committed = await readFile(path.join(repoRoot, GAMEDAY_RESULT_SCHEMA_PATH), 'utf8').catch(() => '(missing)');
    expect(committed, 'schema/gameday-result.schema.json is stale: run `npm run schema`').toBe(renderGameDayResultJsonSchema());
  });

  it('describes every property', () => {
    const undescribed = properties(buildGameDayResultJsonSchema()).filter(([, s]) => typeof s['description'] !== 'string' || s['description'] === '').map(([p]) => p);
    expect(undescribed, 'add .describe() to these fields in src/model/gameday-result-schema.ts').toEqual([]);
  });
});

describe('writeGameDayReports', () => {
  it('writes the four reports; result.json passes the published schema (ajv) and junit.xml holds one suite per experiment', async () => {
    const dir = path.join(root, 'day');
    await writeReports(loadRunResult(), path.join(dir, '01-reviews-canary'));
    const files = await writeGameDayReports(day(), dir);
    expect(files.map((f) => path.basename(f))).toEqual(['result.json', 'index.html', 'junit.xml', 'summary.md']);
    const schema = JSON.parse(await readFile(path.join(repoRoot, GAMEDAY_RESULT_SCHEMA_PATH), 'utf8'));
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    const written = JSON.parse(await readFile(path.join(dir, 'result.json'), 'utf8'));
    expect(validate(written), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...written, verdict: 'maybe' })).toBe(false);
    expect(written).toMatchObject({ verdict: 'fail', failures: 4, exitCode: 130 });

    const xml = await readFile(path.join(dir, 'junit.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const suites = parsed.testsuites.testsuite as { name: string; tests: string; errors: string; skipped: string; testcase: unknown }[];
    const run = loadRunResult();
    expect(suites.map((s) => s.name)).toEqual([run.name, HOSTILE.replace('\u0000', '\uFFFD').replace('\u001b', '\uFFFD'), 'reviews-mirror', 'last']);
    // The experiment that ran: its own checks, as its run's junit.xml has them.
    expect(Number(suites[0]!.tests)).toBe(run.steps.flatMap((s) => s.checks).length + 0);
    expect([suites[1]!.errors, suites[2]!.skipped, suites[3]!.skipped]).toEqual(['1', '1', '1']);
    expect(Number(parsed.testsuites.tests)).toBe(suites.reduce((n, s) => n + Number(s.tests), 0));
  });
});

describe('renderGameDayHtml', () => {
  it('escapes every user string, links only run directories inside the day, and allows no script', () => {
    const page = renderGameDayHtml(day());
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('<a href="01-reviews-canary/report.html">');
    expect(page).not.toContain('href="javascript');
    expect(page).not.toContain('<script');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)![1]!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
    // The timeline: a bar for each experiment that ran, none for the skipped ones.
    expect(page.match(/<rect class="b-/g)).toHaveLength(2);
  });
});

describe('renderGameDayMarkdown', () => {
  it('escapes user strings so no markup, link or mention gets through, one row per experiment', () => {
    const md = renderGameDayMarkdown(day());
    expect(md).not.toContain('<img');
    expect(md).not.toMatch(/[^\\]\]\(javascript/);
    expect(md).toContain('\\[a\\](javascript');
    expect(md).not.toContain('@here');
    expect(md.split('\n').filter((l) => /^\| \d /.test(l))).toHaveLength(4);
  });
});
