import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createJournal } from '../runner/journal.js';
import { findRecoverable } from './find-recoverable.js';
import { createGameDayJournal } from './journal.js';

const ORIGINAL = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'default' }, spec: {} };

/** A run directory killed after its first change, its snapshot at `time`. */
async function killedRun(dir: string, time: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  const journal = createJournal({ dir, now: () => time });
  await journal.append({ type: 'snapshot', provider: 'local', target: { namespace: 'default', virtualService: 'reviews', route: 'reviews-main' } as never, original: ORIGINAL as never });
  await journal.append({ type: 'apply', step: 0, state: { canaryWeight: 20 } });
}

/** A game day's directory started at `time`; `ended` adds its end line. */
async function day(dir: string, time: number, ended = false): Promise<void> {
  await mkdir(dir, { recursive: true });
  const journal = createGameDayJournal(dir, () => time);
  await journal.append({ type: 'start', name: path.basename(dir), labels: {}, maxFailures: 0, experiments: [] });
  if (ended) await journal.append({ type: 'end', verdict: 'pass', exitCode: 0 });
}

describe('findRecoverable', () => {
  it('lists killed runs, killed days and the unrecovered runs of ended days, newest first; an ended day with none is left out', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'mesh-exp-find-recoverable-'));
    await killedRun(path.join(root, 'run-a'), 3_000);
    await day(path.join(root, 'day-killed'), 2_000);
    await day(path.join(root, 'day-ended'), 1_000, true);
    await killedRun(path.join(root, 'day-ended', '01-x'), 4_000);
    await day(path.join(root, 'day-clean'), 5_000, true);
    const found = await findRecoverable(root, () => {});
    expect(found.map((r) => [r.kind, path.relative(root, r.dir), r.time])).toEqual([
      ['run', path.join('day-ended', '01-x'), 4_000],
      ['run', 'run-a', 3_000],
      ['game-day', 'day-killed', 2_000],
    ]);
    expect(found[0]).toMatchObject({ gameDay: { name: 'day-ended', dir: path.join(root, 'day-ended') } });
    expect(found[1]).not.toHaveProperty('gameDay');
  });

  it('takes a game day\'s directory itself, and skips (telling) a day whose journal is corrupted', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'mesh-exp-find-recoverable-'));
    await day(path.join(root, 'killed'), 1_000);
    expect((await findRecoverable(path.join(root, 'killed'), () => {})).map((r) => r.kind)).toEqual(['game-day']);
    await mkdir(path.join(root, 'corrupt'));
    await writeFile(path.join(root, 'corrupt', 'gameday.jsonl'), '{"type":"nonsense","time":1}\n{"type":"end","time":2}\n');
    const skipped: string[] = [];
    const found = await findRecoverable(root, (dir) => skipped.push(path.basename(dir)));
    expect(found.map((r) => path.basename(r.dir))).toEqual(['killed']);
    expect(skipped).toEqual(['corrupt']);
  });
});
