import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRunResult } from '../../test/unit/report/fixture.js';
import type { RunResult } from '../model/result.js';
import { createStepLog, readStepLog, STEP_LOG_FILE } from './step-log.js';

const result = loadRunResult();
const run = { name: result.name, startedAt: result.startedAt, plannedSteps: 3, experiment: result.experiment, environment: result.environment };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-steps-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('steps.jsonl', () => {
  it('has a run line, then one line per finished step with the events since the line before; reads back equal', async () => {
    const events: RunResult['events'] = [{ time: 1, message: 'saved' }];
    const log = createStepLog(dir, events);
    await log.start(run);
    events.push({ time: 2, message: 'step 1/3' });
    await log.step(result.steps[0]!);
    events.push({ time: 3, message: 'step 2/3' });
    await log.step(result.steps[1]!);
    const lines = (await readFile(path.join(dir, STEP_LOG_FILE), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { kind: string; events?: unknown[] });
    expect(lines.map((l) => [l.kind, l.events?.length])).toEqual([['run', undefined], ['step', 2], ['step', 1]]);
    expect(await readStepLog(dir)).toEqual({ run, steps: result.steps.slice(0, 2), events });
  });

  it('ignores a torn last line, and there is nothing to read without a file or a run line', async () => {
    expect(await readStepLog(dir)).toBeUndefined();
    const log = createStepLog(dir, []);
    await log.start(run);
    await appendFile(log.path, '{"kind":"step","st');
    expect((await readStepLog(dir))?.steps).toEqual([]);
    await rm(log.path);
    await appendFile(log.path, '\n');
    expect(await readStepLog(dir)).toBeUndefined();
  });

  it('checks every line against the schema and names the file, the line and the field', async () => {
    const log = createStepLog(dir, []);
    await log.start(run);
    await appendFile(log.path, `${JSON.stringify({ kind: 'step', step: { ...result.steps[0]!, decision: 'maybe' }, events: [] })}\n`);
    await expect(readStepLog(dir)).rejects.toMatchObject({ exitCode: 2, problems: [{ file: log.path, line: 2, path: 'step.decision', message: expect.stringMatching(/^damaged step log: /) }] });
  });
});
