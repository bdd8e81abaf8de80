/**
 * Runs of an experiment file judged on a real Prometheus: one Prometheus for the describe block,
 * scraping the admin port every run's local mesh is given (between runs the target is down), and
 * a `run(patch)` that points the file at both, runs it in-process and reads back its result.json.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createCaptureStream, createContext } from '../../src/context.js';
import { loadExperimentFile } from '../../src/experiment/validate.js';
import type { RunResult } from '../../src/model/result.js';
import { executeRun } from '../../src/runner/runner.js';
import { freePort, startPrometheus, type RunningPrometheus } from './prometheus.js';
import { observingMeshFactory, repoRoot, type MeshObservations } from './runner-harness.js';

type Spec = Awaited<ReturnType<typeof loadExperimentFile>>['experiment']['spec'];

/** Registers the Prometheus's start and stop in the calling describe block; `binary` from requirePrometheus(). */
export function usePrometheusRuns(binary: string | undefined, file: string) {
  let prom: RunningPrometheus | undefined;
  let adminPort = 0;
  beforeAll(async () => {
    if (!binary) return;
    adminPort = await freePort();
    prom = await startPrometheus(binary, [`127.0.0.1:${adminPort}`]);
  }, 60_000);
  afterAll(async () => prom?.stop());

  return {
    /** The running Prometheus's base URL. */
    url: () => prom!.url,
    /** Runs the file with `patch` applied to its spec; `written` is the result.json the run wrote, `stderr` what it printed. */
    async run(patch: (spec: Spec) => void) {
      const loaded = await loadExperimentFile(file, { cwd: repoRoot });
      loaded.experiment.spec.local!.admin = `127.0.0.1:${adminPort}`;
      loaded.experiment.spec.metrics!.prometheus!.address = prom!.url;
      patch(loaded.experiment.spec);
      const stderr = createCaptureStream();
      const ctx = createContext({ cwd: repoRoot, stderr });
      const seen: MeshObservations = {};
      const reportDir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-prom-run-'));
      const out = await executeRun(loaded, ctx, { createMesh: observingMeshFactory(seen), reportDir });
      const written = JSON.parse(await readFile(path.join(out.runDir, 'result.json'), 'utf8')) as RunResult;
      return { out, seen, written, stderr: stderr.text() };
    },
  };
}
