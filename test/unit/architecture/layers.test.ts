/**
 * The layer rule (docs/architecture.md): src/ is a stack of layers, each a set of folders (or
 * top-level files); a file may import its own folder and the layers below its own, never a layer
 * above nor another folder of its own layer, and no files import each other in a cycle. A new
 * folder must be placed in LAYERS, so its place is decided, not drifted into.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/cli.js';
import { fileCycles, type ImportEdge, importEdges, sourceFiles, unitOf } from './import-graph.js';

/** Lowest first. Each entry: folders under src/ or files at its top. */
export const LAYERS: string[][] = [
  ['errors.ts', 'version.ts', 'seeded-random.ts', 'terminal-text.ts', 'atomic-write.ts'],
  ['failpoints.ts'],
  ['context.ts'],
  ['input'], // reading user files: YAML with positions, problems, did-you-mean, units
  ['istio', 'registry.ts'], // Istio's API types and reading manifests; the extension points' registry
  ['model'], // the run's shared vocabulary: result, step plan types, labels, timeline, progress events
  ['experiment'], // the experiment file: schema, rules, validation, the step plan
  ['metrics', 'kube', 'notify'], // metric sources · Kubernetes client · notifications (webhooks)
  ['analysis'],
  ['load', 'mesh'],
  ['traffic'],
  ['history'], // the run history (reports/index.jsonl): entries, reading, filters, regressions between runs
  ['report'],
  ['schedule'], // a run as scheduled Kubernetes objects: CronJob, least-privilege RBAC, files, reports volume
  ['runner'],
  ['gameday'], // a game day: experiments run in order through the runner, the combined reports, its recover
  ['cli'],
  ['index.ts'], // the public surface
];

/** The imports that break the rule, as `from:line -> to (why)`. */
export function layerViolations(edges: ImportEdge[], layers: string[][] = LAYERS): string[] {
  const rank = new Map(layers.flatMap((units, i) => units.map((u) => [u, i] as const)));
  const out: string[] = [];
  for (const e of edges) {
    const [a, b] = [unitOf(e.from), unitOf(e.to)];
    if (a === b) continue;
    const [ra, rb] = [rank.get(a), rank.get(b)];
    const where = `${e.from}:${e.line} -> ${e.to}`;
    if (ra === undefined || rb === undefined) out.push(`${where} (${ra === undefined ? a : b} is in no layer: add it to LAYERS)`);
    else if (rb > ra) out.push(`${where} (climbs from ${a} up to ${b})`);
    else if (rb === ra) out.push(`${where} (${a} and ${b} share a layer and must not import each other)`);
  }
  return out;
}

describe('layers', () => {
  const root = path.join(REPO_ROOT, 'src');
  const edges = importEdges(root);

  it('the checker finds a climbing import, a same-layer import, an unplaced folder and a cycle (it can fail)', () => {
    const e = (from: string, to: string): ImportEdge => ({ from, to, line: 1 });
    const layers = [['model'], ['load', 'mesh'], ['runner']];
    expect(layerViolations([e('model/a.ts', 'runner/b.ts'), e('load/a.ts', 'mesh/b.ts'), e('runner/a.ts', 'model/b.ts'), e('x/a.ts', 'model/a.ts')], layers)).toEqual([
      'model/a.ts:1 -> runner/b.ts (climbs from model up to runner)',
      'load/a.ts:1 -> mesh/b.ts (load and mesh share a layer and must not import each other)',
      'x/a.ts:1 -> model/a.ts (x is in no layer: add it to LAYERS)',
    ]);
    expect(fileCycles([e('a.ts', 'b.ts'), e('b.ts', 'c.ts'), e('c.ts', 'a.ts'), e('c.ts', 'd.ts')])).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('reads the real graph (hundreds of files and imports)', () => {
    expect(sourceFiles(root).length).toBeGreaterThan(150);
    expect(edges.length).toBeGreaterThan(500);
  });

  it('no import climbs a layer or crosses within one', () => {
    expect(layerViolations(edges)).toEqual([]);
  });

  it('no files import each other in a cycle (type-only imports included)', () => {
    expect(fileCycles(edges)).toEqual([]);
  });
});
