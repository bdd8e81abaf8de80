/**
 * Test harness for the runner: loads an experiment file as the CLI does and runs it in-process,
 * wrapping the local mesh so a test can see what it served (the VirtualService at start and just
 * before the mesh closed, and its Istio metrics).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCaptureStream, createContext, type Context } from '../../src/context.js';
import type { VirtualService } from '../../src/istio/types.js';
import { createLocalMesh } from '../../src/mesh/local-mesh.js';
import type { LocalMesh, LocalMeshOptions } from '../../src/mesh/types.js';
import type { ProgressSink } from '../../src/model/progress.js';
import { executeRun } from '../../src/runner/runner.js';
import type { RunOptions, RunOutput } from '../../src/runner/types.js';
import { loadExperimentFile } from '../../src/experiment/validate.js';

/** Repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What the wrapped mesh saw. */
export interface MeshObservations {
  /** The VirtualService served when the mesh started. */
  initial?: VirtualService;
  /** The VirtualService served just before the mesh closed. */
  final?: VirtualService;
  /** Prometheus text of the mesh just before it closed. */
  metrics?: string;
  /** The mesh itself (closed after the run). */
  mesh?: LocalMesh;
}

/** Wraps a mesh so its `close` first records the served VirtualService and metrics. */
export function observingMeshFactory(seen: MeshObservations, name = 'reviews', patch?: (mesh: LocalMesh) => Partial<LocalMesh>) {
  return async (options: LocalMeshOptions): Promise<LocalMesh> => {
    const mesh = await createLocalMesh(options);
    seen.initial = structuredClone(mesh.getVirtualService('default', name));
    seen.mesh = mesh;
    const overrides: Partial<LocalMesh> = {
      ...patch?.(mesh),
      close: async () => {
        seen.final = structuredClone(mesh.getVirtualService('default', name));
        seen.metrics = mesh.metricsText();
        await mesh.close();
      },
    };
    return new Proxy(mesh, {
      get(target, prop) {
        if (prop in overrides) return overrides[prop as keyof LocalMesh];
        // Getters (generation) and methods run against the real mesh.
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  };
}

/** A progress sink that keeps the events and calls `onEvent` for each. */
export function recordingProgress(onEvent: (message: string) => void = () => {}): ProgressSink & { events: string[]; updates: number } {
  const sink = {
    events: [] as string[],
    updates: 0,
    update() {
      sink.updates++;
    },
    event(message: string) {
      sink.events.push(message);
      onEvent(message);
    },
    done() {},
  };
  return sink;
}

/** Options of {@link runFile}. */
export interface RunFileOptions extends RunOptions {
  /** Abort signal for the context. */
  signal?: AbortSignal;
}

/** Runs an experiment file (path relative to the repo) in-process with a temp report dir. */
export async function runFile(
  file: string,
  options: RunFileOptions = {},
): Promise<{ out: RunOutput; seen: MeshObservations; ctx: Context; stderr: () => string }> {
  const stderr = createCaptureStream();
  const ctx = createContext({ cwd: repoRoot, stderr, ...(options.signal ? { signal: options.signal } : {}) });
  const loaded = await loadExperimentFile(file, { cwd: repoRoot });
  const seen: MeshObservations = {};
  const reportDir = options.reportDir ?? (await mkdtemp(path.join(tmpdir(), 'mesh-exp-run-')));
  const out = await executeRun(loaded, ctx, { createMesh: observingMeshFactory(seen), ...options, reportDir });
  return { out, seen, ctx, stderr: () => stderr.text() };
}

/** Sums the Prometheus counter `metric` over series whose labels include every `labels` pair. */
export function sumCounter(text: string, metric: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
