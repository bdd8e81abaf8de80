import { execa } from 'execa';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test/support/cli.js';
import { historyEntry } from '../../test/support/history-entries.js';
import { appendHistoryEntry, historyIndexPath, parseHistory, readHistory } from './index-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-history-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the history index', () => {
  it('appends one JSON line per entry and reads them back in order; a missing file is an empty history', async () => {
    const file = historyIndexPath(dir);
    expect(await readHistory(file)).toEqual({ entries: [], exists: false, skipped: [] });
    await appendHistoryEntry(file, historyEntry('a', 1));
    await appendHistoryEntry(file, historyEntry('b', 2));
    const text = await readFile(file, 'utf8');
    expect(text.split('\n')).toHaveLength(3);
    expect(text.endsWith('\n')).toBe(true);
    const read = await readHistory(file);
    expect(read.entries.map((e) => e.experiment)).toEqual(['a', 'b']);
    expect(read.skipped).toEqual([]);
  });

  it('refuses to append an invalid entry (nothing written)', async () => {
    const file = historyIndexPath(dir);
    await expect(appendHistoryEntry(file, { ...historyEntry('a', 1), durationMs: -1 })).rejects.toThrow();
    expect((await readHistory(file)).exists).toBe(false);
  });

  it('skips torn, non-JSON and invalid lines, each named file:line, and keeps the rest', () => {
    const good = JSON.stringify(historyEntry('a', 1));
    const unpaired = JSON.stringify({ ...historyEntry('c', 3), latency: { canary: { values: [1, 2], counts: [5] } } });
    const text = [good, '{"schemaVersion":1,"runDir":"x"', 'not json', JSON.stringify({ ...historyEntry('b', 2), schemaVersion: 2 }), '', good, '[]', 'null', unpaired].join('\n');
    const { entries, skipped } = parseHistory(text, 'reports/index.jsonl');
    expect(entries).toHaveLength(2);
    expect(skipped).toEqual([
      'reports/index.jsonl:2: not JSON (a torn or hand-edited line)',
      'reports/index.jsonl:3: not JSON (a torn or hand-edited line)',
      expect.stringMatching(/^reports\/index\.jsonl:4: not a history entry \(schemaVersion: /),
      expect.stringMatching(/^reports\/index\.jsonl:7: not a history entry \(\(line\): /),
      expect.stringMatching(/^reports\/index\.jsonl:8: not a history entry/),
      'reports/index.jsonl:9: not a history entry (latency.canary: values and counts must have the same length)',
    ]);
  });

  it('starts a fresh line after a torn tail, so the next entry stays readable', async () => {
    const file = historyIndexPath(dir);
    await appendHistoryEntry(file, historyEntry('a', 1));
    await appendFile(file, '{"schemaVersion":1,"run');
    await appendHistoryEntry(file, historyEntry('b', 2));
    const read = await readHistory(file, 'index.jsonl');
    expect(read.entries.map((e) => e.experiment)).toEqual(['a', 'b']);
    expect(read.skipped).toEqual(['index.jsonl:2: not JSON (a torn or hand-edited line)']);
  });

  it('keeps every line whole when two processes append at once', async () => {
    const file = historyIndexPath(dir);
    await writeFile(file, '');
    const script = path.join(dir, 'append.mts');
    const module = pathToFileURL(path.join(REPO_ROOT, 'src/history/index-file.ts')).href;
    const support = pathToFileURL(path.join(REPO_ROOT, 'test/support/history-entries.ts')).href;
    // A long check list makes each line several KB, so a non-atomic append would show as interleaving.
    await writeFile(
      script,
      `import { appendHistoryEntry } from '${module}';
import { historyEntry } from '${support}';
const [file, name] = process.argv.slice(2);
const checks = Array.from({ length: 60 }, (_, i) => ({ name: name + '-check-' + i, verdict: 'pass', failedSteps: 0 }));
await Promise.all(Array.from({ length: 100 }, (_, i) => appendHistoryEntry(file, historyEntry(name, i, { checks }))));
`,
    );
    const run = (name: string) => execa(process.execPath, ['--import', 'tsx', script, file, name], { cwd: REPO_ROOT });
    await Promise.all([run('one'), run('two')]);
    const read = await readHistory(file);
    expect(read.skipped).toEqual([]);
    expect(read.entries.filter((e) => e.experiment === 'one')).toHaveLength(100);
    expect(read.entries.filter((e) => e.experiment === 'two')).toHaveLength(100);
    expect(read.entries.every((e) => e.checks.every((c) => c.name.startsWith(`${e.experiment}-`)))).toBe(true);
  }, 60_000);
});
