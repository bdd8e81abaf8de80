import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { createGameDayJournal, GAMEDAY_JOURNAL_FILE, readGameDayJournal } from './journal.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mesh-exp-gameday-journal-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const START = { type: 'start' as const, name: 'd', labels: {}, maxFailures: 0, experiments: [{ index: 0, name: 'a', source: 'a.yaml', continueOnFailure: false }] };

describe('the game-day journal', () => {
  it('reads back what was appended, each line with its time', async () => {
    const dir = await mkdtemp(path.join(root, 'ok-'));
    let t = 10;
    const journal = createGameDayJournal(dir, () => t++);
    await journal.append(START);
    await journal.append({ type: 'experiment-start', index: 0, runDir: '01-a' });
    expect(journal.path).toBe(path.join(dir, GAMEDAY_JOURNAL_FILE));
    expect(await readGameDayJournal(journal.path)).toEqual([
      { ...START, time: 10 },
      { type: 'experiment-start', index: 0, runDir: '01-a', time: 11 },
    ]);
  });

  it('ignores a torn last line (a crash mid-write); the next opening (recover\'s) cuts it off before appending', async () => {
    const dir = await mkdtemp(path.join(root, 'torn-'));
    const journal = createGameDayJournal(dir, () => 1);
    await journal.append(START);
    await appendFile(journal.path, '{"type":"experiment-st');
    expect((await readGameDayJournal(journal.path)).map((e) => e.type)).toEqual(['start']);
    await createGameDayJournal(dir, () => 2).append({ type: 'recovered' });
    expect((await readGameDayJournal(journal.path)).map((e) => e.type)).toEqual(['start', 'recovered']);
  });

  it('refuses a bad line that is not the last, and a journal that does not open with its start line, naming the line', async () => {
    const file = path.join(root, 'bad.jsonl');
    await writeFile(file, `${JSON.stringify({ ...START, time: 1 })}\nnot json\n{"type":"end","time":2,"verdict":"pass","exitCode":0}\n`);
    await expect(readGameDayJournal(file)).rejects.toMatchObject({ problems: [{ file, line: 2 }] });
    await writeFile(file, '{"type":"experiment-start","time":1,"index":0,"runDir":"x"}\n');
    const err = await readGameDayJournal(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).problems[0]).toMatchObject({ line: 1, message: 'corrupted game-day journal: not a gameday.jsonl line' });
  });
});
