import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VirtualService } from '../istio/types.js';
import { createJournal, pendingChildren, pendingClusterObjects, pendingRelease, pendingRestore, readJournal, type JournalEntry } from './journal.js';

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

  it('keeps the DestinationRule of traffic.policy with the snapshot, and refuses a policyOriginal that is not one', async () => {
    const rule = { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule' as const, metadata: { name: 'reviews' }, spec: { host: 'reviews', trafficPolicy: { connectionPool: { tcp: { maxConnections: 3 } } } } };
    const journal = createJournal({ dir });
    await journal.append({ type: 'snapshot', provider: 'local-attach', target, original, policyOriginal: rule });
    expect((await readJournal(journal.path))[0]).toMatchObject({ policyOriginal: rule });
    await appendFile(path.join(dir, 'bad.jsonl'), `${JSON.stringify({ type: 'snapshot', time: 1, provider: 'local', target, original, policyOriginal: { kind: 'DestinationRule', metadata: {} } })}\n{}\n`);
    await expect(readJournal(path.join(dir, 'bad.jsonl'))).rejects.toMatchObject({ problems: [{ line: 1, message: 'corrupted journal: snapshot with a policyOriginal that is not a DestinationRule' }] });
  });

  it('ignores a torn last line but rejects a bad line in the middle', async () => {
    const journal = createJournal({ dir });
    await journal.append({ type: 'snapshot', provider: 'local', target, original });
    await appendFile(journal.path, '{"type":"apply","st');
    expect((await readJournal(journal.path)).map((e) => e.type)).toEqual(['snapshot']);
    await appendFile(journal.path, '\n{"type":"restore-done","time":1}\n');
    await expect(readJournal(journal.path)).rejects.toMatchObject({
      exitCode: 2,
      problems: [{ file: journal.path, line: 2, message: 'corrupted journal: not a JSON journal line' }],
    });
  });

  it('cuts a torn last line off before appending, so later entries stay readable', async () => {
    const journal = createJournal({ dir });
    await journal.append({ type: 'snapshot', provider: 'local', target, original });
    await appendFile(journal.path, '{"type":"apply","st');
    const again = createJournal({ dir });
    await again.append({ type: 'restore-start', reason: 'recover' });
    expect((await readJournal(journal.path)).map((e) => e.type)).toEqual(['snapshot', 'restore-start']);
  });

  it('names the line of an entry that is JSON but not a journal entry', async () => {
    const journal = createJournal({ dir });
    await journal.append({ type: 'snapshot', provider: 'local', target, original });
    await appendFile(journal.path, '{"type":"teleport","time":2}\n{"type":"end","time":3,"outcome":"passed","restored":true}\n');
    await expect(readJournal(journal.path)).rejects.toMatchObject({ problems: [{ line: 2, message: 'corrupted journal: unknown entry type "teleport"' }] });
    await appendFile(path.join(dir, 'other.jsonl'), '{"type":"snapshot","time":1,"provider":"local","target":{"namespace":"default"},"original":{}}\n');
    await expect(readJournal(path.join(dir, 'other.jsonl'))).rejects.toMatchObject({ problems: [{ line: 1, message: 'corrupted journal: snapshot without the original object' }] });
    await appendFile(path.join(dir, 'policy.jsonl'), `${JSON.stringify({ type: 'snapshot', time: 1, provider: 'istio', target, original, policyOriginal: { spec: {} } })}\n`);
    await expect(readJournal(path.join(dir, 'policy.jsonl'))).rejects.toMatchObject({ problems: [{ line: 1, message: 'corrupted journal: snapshot with a policyOriginal that is not a DestinationRule' }] });
  });

  it('keeps the DestinationRule of traffic.policy beside the original', async () => {
    const journal = createJournal({ dir });
    const policyOriginal = { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule' as const, metadata: { name: 'reviews' }, spec: { host: 'reviews' } };
    await journal.append({ type: 'snapshot', provider: 'istio', target, original, policyOriginal });
    expect((await readJournal(journal.path))[0]).toMatchObject({ type: 'snapshot', policyOriginal });
  });

  it('counts a claim as a change, unless it failed; promoted and recovered end what is pending', async () => {
    const journal = createJournal({ dir });
    await journal.append({ type: 'snapshot', provider: 'local-attach', endpoint: 'http://127.0.0.1:1', target, original });
    await journal.append({ type: 'claim', owner: journal.path });
    expect(pendingRestore(await readJournal(journal.path))).toEqual(original);
    await journal.append({ type: 'claim-failed', error: 'taken' });
    expect(pendingRestore(await readJournal(journal.path))).toBeUndefined();

    const other = await mkdtemp(path.join(tmpdir(), 'mesh-exp-journal-'));
    const j2 = createJournal({ dir: other });
    await j2.append({ type: 'snapshot', provider: 'local-attach', target, original });
    await j2.append({ type: 'claim', owner: j2.path });
    await j2.append({ type: 'apply', step: 'promote', state: { canaryWeight: 100 } });
    expect(pendingRelease(await readJournal(j2.path))).toBe(false);
    await j2.append({ type: 'promoted' });
    expect(pendingRestore(await readJournal(j2.path))).toBeUndefined();
    expect(pendingRelease(await readJournal(j2.path))).toBe(true);
    await j2.append({ type: 'released' });
    expect(pendingRelease(await readJournal(j2.path))).toBe(false);
    await rm(other, { recursive: true, force: true });

    const j3 = createJournal({ dir: await mkdtemp(path.join(tmpdir(), 'mesh-exp-journal-')) });
    await j3.append({ type: 'snapshot', provider: 'local', target, original });
    await j3.append({ type: 'apply', step: 0, state: { canaryWeight: 10 } });
    await j3.append({ type: 'recovered', reason: 'in-process mesh gone' });
    expect(pendingRestore(await readJournal(j3.path))).toBeUndefined();
    await rm(path.dirname(j3.path), { recursive: true, force: true });
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

  it('lists the children started and not seen gone, in order (a pid may come back for a later child)', async () => {
    const journal = createJournal({ dir });
    const child = (pid: number, startTime: number) => ({ type: 'child' as const, pid, pgid: pid, startTime, command: ['node', 'b.mjs'], label: `b-${pid}` });
    await journal.append(child(10, 1));
    await journal.append(child(11, 2));
    expect(pendingChildren(await readJournal(journal.path)).map((c) => c.pid)).toEqual([10, 11]);
    await journal.append({ type: 'child-exit', pid: 10, how: 'stopped' });
    await journal.append(child(10, 9));
    expect(pendingChildren(await readJournal(journal.path))).toEqual([expect.objectContaining({ pid: 11 }), expect.objectContaining({ pid: 10, startTime: 9 })]);
    await journal.append({ type: 'child-exit', pid: 10 });
    await journal.append({ type: 'child-exit', pid: 11 });
    expect(pendingChildren(await readJournal(journal.path))).toEqual([]);
  });

  it('rejects a child line without its pid', async () => {
    await appendFile(path.join(dir, 'journal.jsonl'), '{"type":"child","time":1,"pgid":3}\n{"type":"end","time":2,"outcome":"passed","restored":true}\n');
    await expect(readJournal(path.join(dir, 'journal.jsonl'))).rejects.toMatchObject({ problems: [{ line: 1, message: 'corrupted journal: child without an integer pid and pgid' }] });
  });
});

describe('pendingClusterObjects', () => {
  const ref = (name: string) => ({ apiVersion: 'batch/v1', kind: 'Job', namespace: 'load', name });
  const created = (name: string): JournalEntry => ({ type: 'cluster-object', time: 1, owner: '/j', ...ref(name) });
  const deleted = (name: string): JournalEntry => ({ type: 'cluster-object-deleted', time: 2, how: 'run', ...ref(name) });

  it('lists the objects journaled and not deleted since, in journal order', () => {
    expect(pendingClusterObjects([created('a'), created('b'), deleted('a'), created('c')]).map((e) => e.type === 'cluster-object' && e.name)).toEqual(['b', 'c']);
    expect(pendingClusterObjects([created('a'), deleted('a')])).toEqual([]);
    // Same name, another kind: another object.
    const otherKind: JournalEntry = { type: 'cluster-object-deleted', time: 2, apiVersion: 'v1', kind: 'ConfigMap', namespace: 'load', name: 'a' };
    expect(pendingClusterObjects([created('a'), otherKind])).toHaveLength(1);
  });

  it('reads its entries back, and refuses one without its reference', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-journal-objects-'));
    try {
      const journal = createJournal({ dir });
      await journal.append({ type: 'cluster-object', owner: journal.path, ...ref('a') });
      expect(pendingClusterObjects(await readJournal(journal.path))).toEqual([expect.objectContaining({ name: 'a', owner: journal.path })]);
      await appendFile(journal.path, `${JSON.stringify({ type: 'cluster-object', time: 3, kind: 'Job' })}\n{}\n`);
      const err = (await readJournal(journal.path).catch((e: unknown) => e)) as { problems: { message: string }[] };
      expect(err.problems.map((p) => p.message)).toEqual(['corrupted journal: cluster-object without apiVersion, kind, namespace and name']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
