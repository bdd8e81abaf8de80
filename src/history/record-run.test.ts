import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRunResult } from '../../test/unit/report/fixture.js';
import { recordRunInHistory, reportsRootOf } from './record-run.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-record-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('recordRunInHistory', () => {
  it('appends to index.jsonl in the directory the run directory sits in, the game day relative to it', async () => {
    const warned: string[] = [];
    const file = await recordRunInHistory({ result: loadRunResult(), runDir: path.join(dir, 'run-1'), gameDay: { name: 'drill', dir: path.join(dir, 'drill-1') } }, { warn: (m) => void warned.push(m) });
    expect(file).toBe(path.join(dir, 'index.jsonl'));
    expect(JSON.parse(await readFile(file!, 'utf8'))).toMatchObject({ runDir: 'run-1', gameDay: { name: 'drill', dir: 'drill-1' } });
    expect(warned).toEqual([]);
    expect(reportsRootOf('reports/x/')).toBe(path.resolve('reports'));
  });

  it('appends a game day\'s run (inside the day\'s directory) to the index beside the day\'s directory', async () => {
    const day = path.join(dir, 'drill-1');
    const file = await recordRunInHistory({ result: loadRunResult(), runDir: path.join(day, '01-canary'), gameDay: { name: 'drill', dir: day } }, { warn: () => {} });
    expect(file).toBe(path.join(dir, 'index.jsonl'));
    expect(JSON.parse(await readFile(file!, 'utf8'))).toMatchObject({ runDir: 'drill-1/01-canary', gameDay: { name: 'drill', dir: 'drill-1' } });
  });

  it('finds the game day of a run recovered on its own (`recover <day>/02-x` names no day) from the day\'s journal beside it', async () => {
    const day = path.join(dir, 'drill-20261207-030000');
    await mkdir(day);
    await writeFile(path.join(day, 'gameday.jsonl'), `${JSON.stringify({ type: 'start', name: 'drill', time: 1 })}\n`);
    const file = await recordRunInHistory({ result: loadRunResult(), runDir: path.join(day, '02-fault') }, { warn: () => {} });
    expect(file).toBe(path.join(dir, 'index.jsonl'));
    expect(JSON.parse(await readFile(file!, 'utf8'))).toMatchObject({ runDir: 'drill-20261207-030000/02-fault', gameDay: { name: 'drill', dir: 'drill-20261207-030000' } });
  });

  it('only warns when the index cannot be written', async () => {
    await writeFile(path.join(dir, 'not-a-dir'), '');
    const warned: string[] = [];
    const file = await recordRunInHistory({ result: loadRunResult(), runDir: path.join(dir, 'not-a-dir', 'run-1') }, { warn: (m) => void warned.push(m) });
    expect(file).toBeUndefined();
    expect(warned).toEqual([expect.stringMatching(/^the run was not added to the history .*not-a-dir\/index\.jsonl: ENOTDIR/)]);
  });
});
