/**
 * Captures real latency distributions for bench/stats: runs a capture experiment on the local mesh
 * (the real proxy, demo backends and built-in open-model generator) and keeps every request's
 * latency per serving version, as measured from the intended send time — the same numbers the
 * recorder folds. Written to bench/stats/data/<profile>.json and committed, so the simulation is
 * repeatable; `--capture` re-records them.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCaptureStream, createContext } from '../../src/context.js';
import { createBuiltinGenerator } from '../../src/load/builtin/builtin-generator.js';
import { createLoadGeneratorRegistry } from '../../src/load/registry.js';
import { executeRun } from '../../src/runner/runner.js';
import { loadExperimentFile } from '../../src/experiment/validate.js';

/** A captured profile: latencies (ms, µs resolution) per version. */
export interface CapturedProfile {
  /** Profile name (capture-<profile>.yaml). */
  profile: string;
  /** What the backends were. */
  description: string;
  /** ISO time of the capture. */
  capturedAt: string;
  /** Requests per second driven. */
  rate: number;
  /** Latencies by version, ms. */
  latenciesMs: Record<string, number[]>;
}

/** Runs `bench/stats/capture-<profile>.yaml` and returns what each version's requests took. */
export async function captureProfile(repoRoot: string, profile: string): Promise<CapturedProfile> {
  const file = join('bench', 'stats', `capture-${profile}.yaml`);
  const loaded = await loadExperimentFile(file, { cwd: repoRoot });
  const latenciesMs: Record<string, number[]> = {};
  const loadRegistry = createLoadGeneratorRegistry();
  loadRegistry.register('builtin', () => {
    const real = createBuiltinGenerator();
    return {
      name: 'builtin',
      run: (plan, onSample, signal) =>
        real.run(
          plan,
          (s) => {
            if (s.version && s.status > 0 && s.status < 500 && !s.error) (latenciesMs[s.version] ??= []).push(Math.round(s.latencyMs * 1000) / 1000);
            onSample(s);
          },
          signal,
        ),
    };
  });
  const reportDir = await mkdtemp(join(tmpdir(), 'mesh-exp-stats-capture-'));
  try {
    const ctx = createContext({ cwd: repoRoot, stderr: createCaptureStream() });
    const out = await executeRun(loaded, ctx, { loadRegistry, reportDir, reports: [] });
    if (out.result.outcome === 'error') throw new Error(`capture run failed: ${out.result.error}`);
  } finally {
    await rm(reportDir, { recursive: true, force: true });
  }
  // The capture file's leading comment says what the backends were.
  const comment = (await readFile(join(repoRoot, file), 'utf8')).split('\n').filter((l) => l.startsWith('#')).map((l) => l.replace(/^#\s?/, ''));
  return { profile, description: comment.join(' '), capturedAt: new Date().toISOString(), rate: loaded.experiment.spec.load.rate, latenciesMs };
}

/** Writes a profile to bench/stats/data/<profile>.json. */
export async function saveProfile(repoRoot: string, p: CapturedProfile): Promise<string> {
  const out = join(repoRoot, 'bench', 'stats', 'data', `${p.profile}.json`);
  await writeFile(out, `${JSON.stringify(p)}\n`);
  return out;
}
