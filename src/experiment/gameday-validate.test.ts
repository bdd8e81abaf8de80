import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError, formatProblem } from '../errors.js';
import { checkGameDayFile, loadGameDayFile } from './gameday-validate.js';

const DR = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews, namespace: team-a}\nspec:\n  host: reviews\n  subsets: [{name: v1}, {name: v2}]\n';
const VS = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, namespace: team-a}\nspec:\n  hosts: [reviews]\n  http:\n    - route: [{destination: {host: reviews, subset: v1}}]\n';

/** An experiment file; `load` is its spec.load block (or none). */
const experiment = (name: string, load?: string) => `apiVersion: mesh-exp.dev/v1alpha1
kind: Experiment
metadata:
  name: ${name}
spec:
  target: { virtualService: reviews, host: reviews, stable: v1, canary: v2 }
  traffic: { shift: { steps: [50, 100], interval: 5s } }
${load ?? ''}  local: { manifests: [../istio] }
`;

const DAY = `apiVersion: mesh-exp.dev/v1alpha1
kind: GameDay
metadata:
  name: day
spec:
  defaults:
    namespace: team-a
    load:
      path: /from-defaults
      rate: 7
  experiments:
    - path: exps/own-load.yaml
    - path: exps/no-load.yaml
      continueOnFailure: true
    - experiment:
        metadata: { name: inline-one }
        spec:
          target: { virtualService: reviews, host: reviews, stable: v1, canary: v2 }
          traffic: { mirror: { subset: v2, duration: 2s } }
          local: { manifests: [istio] }
`;

let root: string;
const cwd = () => root;
const lines = (problems: { file?: string; line?: number; col?: number; path: string; message: string }[]) => problems.map((p) => formatProblem(p).split('\n')[0]);

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mesh-exp-gameday-'));
  await mkdir(path.join(root, 'istio'));
  await mkdir(path.join(root, 'exps'));
  await writeFile(path.join(root, 'istio', 'dr.yaml'), DR);
  await writeFile(path.join(root, 'istio', 'vs.yaml'), VS);
  await writeFile(path.join(root, 'exps', 'own-load.yaml'), experiment('own-load', '  load:\n    path: /own\n'));
  await writeFile(path.join(root, 'exps', 'no-load.yaml'), experiment('no-load'));
  await writeFile(path.join(root, 'day.yaml'), DAY);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function check(name: string, text: string) {
  await writeFile(path.join(root, name), text);
  return checkGameDayFile(name, { cwd: cwd() });
}

describe('checkGameDayFile', () => {
  it('loads path and inline entries in order, with their own files and directories', async () => {
    const { problems, gameDay } = await checkGameDayFile('day.yaml', { cwd: cwd() });
    expect(problems).toEqual([]);
    const [own, noLoad, inline] = gameDay!.experiments;
    expect(gameDay!.experiments.map((e) => [e.index, e.source, e.continueOnFailure, e.loaded.experiment.metadata.name])).toEqual([
      [0, 'exps/own-load.yaml', false, 'own-load'],
      [1, 'exps/no-load.yaml', true, 'no-load'],
      [2, 'inline', false, 'inline-one'],
    ]);
    expect(own!.loaded.file).toBe(path.join(root, 'exps', 'own-load.yaml'));
    expect(inline!.loaded.dir).toBe(root);
    // The inline experiment's manifests resolve against the game-day file, the others' against their own.
    expect(inline!.loaded.manifests?.virtualServices.length).toBe(1);
    expect(noLoad!.loaded.manifests?.virtualServices.length).toBe(1);
    expect(inline!.loaded.source).toContain('inline-one');
    expect(gameDay!.gameDay.spec.verdict).toBe('allPass');
  });

  it('fills the defaults only where an experiment leaves the field out, and keeps a set field whole', async () => {
    const { gameDay } = await checkGameDayFile('day.yaml', { cwd: cwd() });
    const [own, noLoad, inline] = gameDay!.experiments.map((e) => e.loaded.experiment.spec);
    // own-load sets load: its own path, and the schema's rate (not the default's 7: no field merge).
    expect([own!.load.path, own!.load.rate]).toEqual(['/own', 50]);
    expect([noLoad!.load.path, noLoad!.load.rate]).toEqual(['/from-defaults', 7]);
    expect([inline!.load.path, inline!.load.rate]).toEqual(['/from-defaults', 7]);
    expect([own!.target.namespace, noLoad!.target.namespace, inline!.target.namespace]).toEqual(['team-a', 'team-a', 'team-a']);
  });

  it('fills spec.metrics: a prometheus SLO that needs it is valid with the day\'s, refused without', async () => {
    const prom = experiment('prom').replace('  local:', '  slos: [{ kind: prometheus, builtin: request-success-rate, min: 99 }]\n  local:');
    await writeFile(path.join(root, 'exps', 'prom.yaml'), prom);
    const day = (defaults: string) => `apiVersion: mesh-exp.dev/v1alpha1\nkind: GameDay\nmetadata: {name: d}\nspec:\n${defaults}  experiments: [{ path: exps/prom.yaml }]\n`;
    const filled = await check('prom-day.yaml', day('  defaults: { namespace: team-a, metrics: { prometheus: { address: "http://127.0.0.1:9091" } } }\n'));
    expect(filled.problems).toEqual([]);
    expect(filled.gameDay!.experiments[0]!.loaded.experiment.spec.metrics?.prometheus?.address).toBe('http://127.0.0.1:9091');
    const bare = await check('prom-bare.yaml', day('  defaults: { namespace: team-a }\n'));
    expect(lines(bare.problems)).toEqual(['exps/prom.yaml:8:18 spec.slos[0].kind: a prometheus SLO needs spec.metrics.prometheus (where Prometheus is)']);
  });

  it('keeps an experiment\'s own namespace (the manifests are in the default\'s, so the check says so)', async () => {
    await writeFile(path.join(root, 'exps', 'ns.yaml'), experiment('ns').replace('{ virtualService: reviews', '{ namespace: mine, virtualService: reviews'));
    const { problems } = await check('ns-day.yaml', DAY.replace('exps/own-load.yaml', 'exps/ns.yaml'));
    expect(lines(problems)[0]).toBe('exps/ns.yaml:6:46 spec.target.virtualService: VirtualService "reviews" in namespace "mine" is not in the manifests');
  });

  it('locates every problem at once: the day\'s own, an inline experiment\'s and a default\'s in the game-day file, a path entry\'s in its file', async () => {
    await writeFile(path.join(root, 'exps', 'bad.yaml'), experiment('Bad-Name', '  load:\n    rate: 0\n'));
    const text = DAY.replace('name: day', 'name: day\n  color: blue')
      .replace('exps/own-load.yaml', 'exps/bad.yaml')
      .replace('      rate: 7', '      rate: 7\n      duration: 8s')
      .replace('duration: 2s', 'duration: 2s, percentage: 300');
    const { problems, gameDay } = await check('bad-day.yaml', text);
    expect(gameDay).toBeUndefined();
    expect(lines(problems)).toEqual([
      'bad-day.yaml:5:3 metadata.color: unknown field "color"',
      'exps/bad.yaml:4:9 metadata.name: expected a lowercase name (a-z, 0-9, "-", "."), e.g. "reviews-canary", got the string "Bad-Name"',
      'exps/bad.yaml:9:11 spec.load.rate: must be greater than 0, got 0',
      // The default's load.duration is longer than no-load's 5s step: found there, shown at the default.
      'bad-day.yaml:12:17 spec.defaults.load.duration: load runs 8s, longer than the step (5s, spec.traffic.shift.interval) (applied to spec.experiments[1], exps/no-load.yaml)',
      'bad-day.yaml:21:70 spec.experiments[2].experiment.spec.traffic.mirror.percentage: must be at most 100, got 300',
    ]);
  });

  it('prints a default\'s mistake once, however many experiments take it', async () => {
    const text = DAY.replace('rate: 7', 'rate: -1').replace('exps/own-load.yaml', 'exps/no-load.yaml');
    const { problems } = await check('dup-day.yaml', text);
    expect(lines(problems)).toEqual(['dup-day.yaml:10:13 spec.defaults.load.rate: must be greater than 0, got -1']);
  });

  it('reports a missing experiment file, an entry with both or neither, and a bad verdict rule', async () => {
    const text = DAY.replace('exps/own-load.yaml', 'exps/nope.yaml').replace('      continueOnFailure: true', '      experiment: {}').concat('    - continueOnFailure: true\n  verdict: { maxFailures: -1 }\n');
    const { problems } = await check('odd-day.yaml', text);
    expect(lines(problems)).toEqual([
      'odd-day.yaml:13:7 spec.experiments[1]: an entry names an experiment file (path) or holds one inline (experiment), exactly one of them',
      'odd-day.yaml:21:7 spec.experiments[3]: an entry names an experiment file (path) or holds one inline (experiment), exactly one of them',
      'odd-day.yaml:22:27 spec.verdict.maxFailures: must be at least 0, got -1',
      'exps/nope.yaml:1:1 file not found',
    ]);
  });

  it('refuses more than 100 entries without reading each one', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => `    - path: missing-${i}.yaml\n`).join('');
    const { problems } = await check('many-day.yaml', `apiVersion: mesh-exp.dev/v1alpha1\nkind: GameDay\nmetadata: {name: d}\nspec:\n  experiments:\n${many}`);
    expect(lines(problems)).toEqual(['many-day.yaml:5:3 spec.experiments: needs at most 100 entries, got 5000']);
  });

  it('refuses a game day without experiments', async () => {
    const { problems } = await check('empty-day.yaml', 'apiVersion: mesh-exp.dev/v1alpha1\nkind: GameDay\nmetadata: {name: d}\nspec:\n  experiments: []\n');
    expect(lines(problems)).toEqual(['empty-day.yaml:5:3 spec.experiments: needs at least 1 entry, got 0']);
  });
});

describe('loadGameDayFile', () => {
  it('throws one ValidationError carrying every problem', async () => {
    await writeFile(path.join(root, 'two.yaml'), DAY.replace('exps/own-load.yaml', 'exps/nope.yaml').replace('rate: 7', 'rate: -1'));
    const err = await loadGameDayFile('two.yaml', { cwd: cwd() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).problems.map((p) => p.path)).toEqual(['spec.defaults.load.rate', '']);
    expect((err as ValidationError).hint).toContain('mesh-exp validate two.yaml');
  });
});
