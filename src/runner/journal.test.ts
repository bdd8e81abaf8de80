import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VirtualService } from '../istio/types.js';
import { createJournal, pendingRestore, readJournal } from './journal.js';

const original: VirtualService = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews' },
  spec: { http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }] },
};
const target = { namespace: 'default', virtualService: 'reviews' };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-journal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('journal', () => {
  it('appends one JSON line per entry, in order, with a time', async () => {
    let t = 100;
    const journal = createJournal({ dir, now: () => t++ });
    await Promise.all([
      journal.append({ type: 'snapshot', provider: 'local', target, original }),
      journal.append({ type: 'apply', step: 0, state: { canaryWeight: 10 } }),
      journal.append({ type: 'restore-start', reason: 'rollback' }),
    ]);
    const lines = (await readFile(journal.path, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => JSON.parse(l).type)).toEqual(['snapshot', 'apply', 'restore-start']);
    expect(JSON.parse(lines[0]!)).toMatchObject({ time: 100, original });
    expect(await readJournal(journal.path)).toHaveLength(3);
  });

  it('ignores a torn last line but rejects a bad line in the middle', async () => {
    const journal = createJournal({ dir });
    await journal.append({ type: 'snapshot', provider: 'local', target, original });
    await appendFile(journal.path, '{"type":"apply","st');
    expect((await readJournal(journal.path)).map((e) => e.type)).toEqual(['snapshot']);
    await appendFile(journal.path, '\n{"type":"restore-done","time":1}\n');
    await expect(readJournal(journal.path)).rejects.toThrow(/journal.jsonl:2/);
  });

  it('says a restore is pending after an apply without restore-done', async () => {
    const journal = createJournal({ dir });
    await journal.append({ type: 'snapshot', provider: 'local', target, original });
    expect(pendingRestore(await readJournal(journal.path))).toBeUndefined();
    await journal.append({ type: 'apply', step: 0, state: { canaryWeight: 10 } });
    expect(pendingRestore(await readJournal(journal.path))).toEqual(original);
    await journal.append({ type: 'restore-start', reason: 'SIGINT' });
    expect(pendingRestore(await readJournal(journal.path))).toEqual(original);
    await journal.append({ type: 'restore-done' });
    await journal.append({ type: 'end', outcome: 'interrupted', restored: true });
    expect(pendingRestore(await readJournal(journal.path))).toBeUndefined();
  });

  it('says nothing is pending after a completed promotion', async () => {
    const journal = createJournal({ dir });
    await journal.append({ type: 'snapshot', provider: 'local', target, original });
    await journal.append({ type: 'apply', step: 'promote', state: { canaryWeight: 100 } });
    expect(pendingRestore(await readJournal(journal.path))).toEqual(original);
    await journal.append({ type: 'end', outcome: 'promoted', restored: true });
    expect(pendingRestore(await readJournal(journal.path))).toBeUndefined();
  });
});
