import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TargetBusyError } from '../errors.js';
import type { VirtualService } from '../istio/types.js';
import { createJournal } from './journal.js';
import { explainBusy, shownDir } from './refusal.js';

const original: VirtualService = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews' }, spec: {} };
const target = { namespace: 'default', virtualService: 'reviews' };
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-refusal-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const busy = (owner: string) => new TargetBusyError('VirtualService default/reviews is held by another run', { owner });

describe('explainBusy', () => {
  it('names the holder run directory and the exact recover command while its journal is pending', async () => {
    const journal = createJournal({ dir });
    await journal.append({ type: 'snapshot', provider: 'local-attach', target, original });
    await journal.append({ type: 'claim', owner: journal.path });
    const err = await explainBusy(busy(journal.path), path.dirname(dir));
    expect(err.exitCode).toBe(5);
    expect(err.message).toBe(`refusing to start: VirtualService default/reviews is held by another run; the run in ${path.basename(dir)} has not restored it: that run is still going, or it crashed. Nothing was changed`);
    expect(err.hint).toContain(`put the VirtualService back first: mesh-exp recover ${path.basename(dir)}`);
  });

  it('calls a promoted-but-unreleased mark what it is, and a corrupted journal unreadable', async () => {
    const journal = createJournal({ dir });
    await journal.append({ type: 'snapshot', provider: 'local-attach', target, original });
    await journal.append({ type: 'claim', owner: journal.path });
    await journal.append({ type: 'promoted' });
    expect((await explainBusy(busy(journal.path), '/')).message).toContain('promoted its canary but ended before removing its mark');
    await writeFile(journal.path, 'garbage\n{}\n');
    expect((await explainBusy(busy(journal.path), '/')).message).toContain('that journal cannot be read');
  });

  it('shows directories below cwd relative, others absolute', () => {
    expect(shownDir('/a/b/reports/x', '/a/b')).toBe('reports/x');
    expect(shownDir('/tmp/x', '/a/b')).toBe('/tmp/x');
  });
});
