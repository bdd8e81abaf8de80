import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode, MeshExpError } from '../errors.js';
import { historyEntry } from '../../test/support/history-entries.js';
import { emptyHistoryText, queryHistory, sinceTime } from './query.js';

const DAY = 86_400_000;
const NOW = 100 * DAY;
let cwd: string;
let warnings: string[];
const ctx = () => ({ cwd, clock: { now: () => NOW, monotonic: () => 0 }, logger: { debug() {}, info() {}, error() {}, warn: (m: string) => void warnings.push(m) } });
const lines = (...entries: unknown[]) => `${entries.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('\n')}\n`;

beforeEach(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), 'mesh-exp-query-'));
  warnings = [];
  await mkdir(path.join(cwd, 'reports'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('queryHistory', () => {
  it('says how the index gets filled when it is missing or holds no valid run', async () => {
    const missing = await queryHistory(ctx(), {});
    expect(emptyHistoryText(missing, {})).toMatch(/^No run history yet: reports\/index\.jsonl does not exist\.\nEvery `mesh-exp run` appends one line/);
    await writeFile(path.join(cwd, 'reports/index.jsonl'), 'junk\n');
    const junk = await queryHistory(ctx(), {});
    expect(emptyHistoryText(junk, {})).toMatch(/^No run history yet: reports\/index\.jsonl holds no valid run\./);
    expect(warnings).toEqual(['skipped reports/index.jsonl:1: not JSON (a torn or hand-edited line)']);
  });

  it('filters by experiment and --since, and says what the filters left out', async () => {
    await writeFile(path.join(cwd, 'reports/index.jsonl'), lines(historyEntry('a', NOW - 40 * DAY), historyEntry('a', NOW - DAY), historyEntry('b', NOW - 2 * DAY)));
    const answer = await queryHistory(ctx(), { experiment: 'a', since: '30d' });
    expect(answer.entries.map((e) => e.startedAt)).toEqual([NOW - DAY]);
    // The run shown is still compared with the older run the filter left out.
    expect(answer.regressions.get(answer.entries[0]!)?.previousRunDir).toBe(`a-${NOW - 40 * DAY}`);
    const none = await queryHistory(ctx(), { experiment: 'c', since: '1h' });
    expect(emptyHistoryText(none, { experiment: 'c', since: '1h' })).toBe('No runs of experiment "c" started in the last 1h in reports/index.jsonl (it holds 3 runs; drop --experiment or widen --since to see them).\n');
  });

  it('takes --reports as the root or as the index file itself', async () => {
    await mkdir(path.join(cwd, 'elsewhere'));
    await writeFile(path.join(cwd, 'elsewhere/runs.jsonl'), lines(historyEntry('a', 1)));
    expect((await queryHistory(ctx(), { reports: 'elsewhere/runs.jsonl' })).entries).toHaveLength(1);
    expect((await queryHistory(ctx(), { reports: 'elsewhere' })).exists).toBe(false);
  });

  it('a bad --since is exit 2 with a hint; an unreadable index is exit 3', async () => {
    expect(sinceTime('12h', NOW)).toBe(NOW - 12 * 3_600_000);
    const bad = (() => {
      try {
        sinceTime('30 days', NOW);
      } catch (err) {
        return err;
      }
    })() as MeshExpError;
    expect(bad.exitCode).toBe(ExitCode.INVALID_INPUT);
    expect(bad.hint).toContain('30d');
    await mkdir(path.join(cwd, 'reports/index.jsonl'));
    await expect(queryHistory(ctx(), {})).rejects.toMatchObject({ exitCode: ExitCode.RUNTIME_ERROR });
  });
});
