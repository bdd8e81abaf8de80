/**
 * The runner's restore guarantees: on a signal mid-step, on a runtime error, and what happens
 * when the restore itself fails; and that promotion removes the experiment's routes.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodeOf, RuntimeError, SignalError, TargetBusyError, UsageError } from '../../../src/errors.js';
import { KubeApiError } from '../../../src/kube/kube-error.js';
import { createLoadGeneratorRegistry } from '../../../src/load/registry.js';
import { readJournal } from '../../../src/runner/journal.js';
import { observingMeshFactory, recordingProgress, runFile, type MeshObservations } from '../../support/runner-harness.js';

describe('runner lifecycle', () => {
  it('restores on SIGINT mid-step 2: exit 130, interrupted, VirtualService as before, journal restore-done', async () => {
    const controller = new AbortController();
    let abortedAt = 0;
    const progress = recordingProgress((message) => {
      if (message.startsWith('step 2/3: applied')) {
        setTimeout(() => {
          abortedAt = Date.now();
          controller.abort(new SignalError('SIGINT'));
        }, 1000);
      }
    });
    const { out, seen } = await runFile('test/fixtures/runner/canary-slow-steps.yaml', { signal: controller.signal, progress });
    const r = out.result;
    expect(r.outcome).toBe('interrupted');
    expect(r.exitCode).toBe(130);
    expect(r.restored).toBe(true);
    expect(r.steps).toHaveLength(1);
    expect(r.summary).toBe('Interrupted by SIGINT during step 2; the mesh was restored.');
    expect(seen.final).toEqual(seen.initial);
    // Load stops at once: the run ends well before the 11 s left of step 2 (restore + mesh close take < 3 s).
    expect(Date.now() - abortedAt).toBeLessThan(8_000);
    const journal = (await readJournal(out.journalPath)).map((e) => e.type);
    expect(journal).toEqual(['snapshot', 'apply', 'apply', 'restore-start', 'restore-done', 'end']);
    const result = JSON.parse(await readFile(path.join(out.runDir, 'result.json'), 'utf8'));
    expect(result).toMatchObject({ outcome: 'interrupted', restored: true, exitCode: 130 });
  });

  it('maps SIGTERM to exit 143', async () => {
    const controller = new AbortController();
    const progress = recordingProgress((message) => {
      if (message.startsWith('step 1/3: applied')) setTimeout(() => controller.abort(new SignalError('SIGTERM')), 500);
    });
    const { out, seen } = await runFile('test/fixtures/runner/canary-slow-steps.yaml', { signal: controller.signal, progress });
    expect(out.result.exitCode).toBe(143);
    expect(out.result.summary).toBe('Interrupted by SIGTERM during step 1; the mesh was restored.');
    expect(seen.final).toEqual(seen.initial);
  });

  it('restores after a runtime error in a step: outcome error, exit 3', async () => {
    const loadRegistry = createLoadGeneratorRegistry();
    loadRegistry.register('builtin', () => ({
      name: 'builtin',
      run: async () => {
        throw new RuntimeError('load generator crashed');
      },
    }));
    const { out, seen } = await runFile('test/fixtures/runner/canary-short.yaml', { loadRegistry });
    const r = out.result;
    expect(r.outcome).toBe('error');
    expect(r.exitCode).toBe(3);
    expect(r.restored).toBe(true);
    expect(r.error).toContain('load generator crashed');
    expect(r.summary).toContain('load generator crashed');
    expect(seen.final).toEqual(seen.initial);
  });

  it.each([
    ['a usage error (exit 2)', new UsageError('the load generator refused its options')],
    ['a busy target (exit 5)', new TargetBusyError('another run took the target')],
    ['a Kubernetes permission error', new KubeApiError('forbidden: cannot patch virtualservices "reviews"', { status: 403, reason: 'Forbidden', request: { verb: 'patch', resource: 'virtualservices', name: 'reviews' } })],
  ])('a mid-run error keeps its own exit code after the restore: %s', async (_what, error) => {
    const loadRegistry = createLoadGeneratorRegistry();
    loadRegistry.register('builtin', () => ({
      name: 'builtin',
      run: async () => {
        throw error;
      },
    }));
    const { out, seen } = await runFile('test/fixtures/runner/canary-short.yaml', { loadRegistry });
    const r = out.result;
    expect(r.outcome).toBe('error');
    expect(r.exitCode).toBe(exitCodeOf(error));
    expect(r.restored).toBe(true);
    expect(r.error).toContain(error.message);
    expect(seen.final).toEqual(seen.initial);
    const journal = (await readJournal(out.journalPath)).map((e) => e.type);
    expect(journal.slice(-3)).toEqual(['restore-start', 'restore-done', 'end']);
  });

  it('reports a failed restore as exit 4 with the journal holding the original', async () => {
    const seen: MeshObservations = {};
    let applies = 0;
    const createMesh = observingMeshFactory(seen, 'reviews', (mesh) => ({
      applyVirtualService: (vs) => {
        // The first change goes through; every later one (the restore) fails.
        if (++applies > 1) throw new Error('control plane unreachable');
        mesh.applyVirtualService(vs);
      },
    }));
    const { out } = await runFile('test/fixtures/runner/canary-short.yaml', {
      createMesh,
      loadRegistry: (() => {
        const reg = createLoadGeneratorRegistry();
        reg.register('builtin', () => ({ name: 'builtin', run: async () => { throw new RuntimeError('boom'); } }));
        return reg;
      })(),
    });
    const r = out.result;
    expect(r.exitCode).toBe(4);
    expect(r.restored).toBe(false);
    expect(r.error).toContain('control plane unreachable');
    expect(r.summary).toMatch(/could NOT be restored/);
    const entries = await readJournal(out.journalPath);
    expect(entries.map((e) => e.type)).toEqual(['snapshot', 'apply', 'restore-start', 'restore-failed', 'end']);
    const snapshot = entries[0]!;
    expect(snapshot.type === 'snapshot' && snapshot.original).toEqual(seen.initial);
  });

  it('promotes a shift with fault and A/B match to the canary alone', async () => {
    const { out, seen } = await runFile('test/fixtures/runner/canary-fault-ab.yaml');
    expect(out.result.outcome, out.result.summary).toBe('promoted');
    const names = seen.final!.spec.http!.map((h) => h.name);
    expect(names).toEqual(['reviews-main']);
    expect(seen.final!.spec.http![0]!.route!.map((d) => d.weight)).toEqual([0, 100]);
    expect(seen.final!.spec.http![0]!.fault).toBeUndefined();
  });
});
