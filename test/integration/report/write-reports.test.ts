import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { createReporterRegistry, defaultReporters } from '../../../src/report/registry.js';
import type { Reporter } from '../../../src/report/types.js';
import { writeReports } from '../../../src/report/write-reports.js';
import { loadHostileRunResult, loadRunResult, RUN_RESULT_FIXTURE } from '../../unit/report/fixture.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mesh-exp-report-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('writeReports', () => {
  it('creates the run directory and writes result.json, report.html, summary.md and junit.xml by default', async () => {
    const dir = path.join(root, 'reports', 'reviews-canary-20250514T093000Z');
    const paths = await writeReports(loadRunResult(), dir);
    expect(paths).toEqual(['result.json', 'report.html', 'summary.md', 'junit.xml'].map((f) => path.join(dir, f)));
    expect((await readdir(dir)).sort()).toEqual(['junit.xml', 'report.html', 'result.json', 'summary.md']);
  });

  it('result.json round-trips to the same RunResult, byte-identical to the stable form', async () => {
    const result = loadRunResult();
    const [file] = await writeReports(result, root, ['json']);
    const text = await readFile(file!, 'utf8');
    expect(JSON.parse(text)).toEqual(result);
    // The fixture was written by the same stable writer, so the bytes match too.
    expect(text).toBe(await readFile(RUN_RESULT_FIXTURE, 'utf8'));
  });

  it('writes the same bytes whatever the key insertion order', async () => {
    const result = loadRunResult();
    const shuffled = Object.fromEntries(Object.entries(result).reverse()) as typeof result;
    const [a] = await writeReports(result, path.join(root, 'a'), ['json']);
    const [b] = await writeReports(shuffled, path.join(root, 'b'), ['json']);
    expect(await readFile(b!, 'utf8')).toBe(await readFile(a!, 'utf8'));
  });

  it('writes only the formats asked for, once each', async () => {
    const paths = await writeReports(loadRunResult(), root, ['markdown', 'markdown']);
    expect(paths).toEqual([path.join(root, 'summary.md')]);
    expect(await readdir(root)).toEqual(['summary.md']);
  });

  it('rejects an unknown format before writing anything', async () => {
    const dir = path.join(root, 'never');
    await expect(writeReports(loadRunResult(), dir, ['json', 'pdf'])).rejects.toThrow(UsageError);
    await expect(writeReports(loadRunResult(), dir, ['pdf'])).rejects.toMatchObject({
      message: 'unknown report format "pdf"',
      hint: 'known formats: json, html, markdown, junit',
    });
    await expect(readdir(dir)).rejects.toThrow(/ENOENT/);
  });

  it('accepts another reporter through a registry', async () => {
    const text: Reporter = {
      name: 'text',
      async write(result, dir) {
        const file = path.join(dir, 'outcome.txt');
        await import('node:fs/promises').then((fs) => fs.writeFile(file, result.outcome));
        return file;
      },
    };
    const registry = createReporterRegistry([...defaultReporters.values(), text]);
    const [file] = await writeReports(loadRunResult(), root, ['text'], { registry });
    expect(await readFile(file!, 'utf8')).toBe('rolled-back');
  });

  it('hands the previous run to every reporter that compares', async () => {
    const previous = loadRunResult();
    const paths = await writeReports(loadRunResult(), root, ['html', 'markdown'], { previous });
    const [page, summary] = await Promise.all(paths.map((p) => readFile(p, 'utf8')));
    expect(page).toContain('<section id="compare">');
    expect(summary).toContain('**Compared with the previous run**');
  });

  it('writes an HTML file with the XSS probe escaped', async () => {
    const [file] = await writeReports(loadHostileRunResult(), root, ['html']);
    const page = await readFile(file!, 'utf8');
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
