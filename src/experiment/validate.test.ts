import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError, formatProblem } from '../errors.js';
import { checkExperimentFile, loadExperimentFile, validateExperimentText } from './validate.js';

const EXPERIMENT = `apiVersion: mesh-exp.dev/v1alpha1
kind: Experiment
metadata:
  name: demo
spec:
  target:
    virtualService: reviews
    host: reviews
    stable: v1
    canary: v2
  traffic:
    shift:
      steps: [20, 100]
  local:
    manifests: [istio]
`;

const DR = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews}\nspec:\n  host: reviews\n  subsets: [{name: v1}, {name: v2}]\n';
const VS = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews}\nspec:\n  http:\n    - route: [{destination: {host: reviews, subset: v1}}]\n';

describe('validateExperimentText', () => {
  it('returns the parsed experiment when there is no problem', () => {
    const { experiment, problems } = validateExperimentText(EXPERIMENT, 'demo.yaml');
    expect(problems).toEqual([]);
    expect(experiment?.spec.traffic.shift?.steps).toEqual([20, 100]);
    expect(experiment?.spec.load.rate).toBe(50);
  });

  it('reports schema and rule problems together, sorted by line, and no experiment', () => {
    const text = EXPERIMENT.replace('canary: v2', 'canary: v1').replace('name: demo', 'name: Demo').replace('[20, 100]', '[20, 10]');
    const { experiment, problems } = validateExperimentText(text, 'demo.yaml');
    expect(experiment).toBeUndefined();
    expect(problems.map((p) => `${p.line}:${p.col} ${p.path}`)).toEqual([
      '4:9 metadata.name',
      '10:13 spec.target.canary',
      '13:19 spec.traffic.shift.steps[1]',
    ]);
    expect(problems.every((p) => p.file === 'demo.yaml')).toBe(true);
  });

  // Found by the fuzz suite: a header regex "(" passed validate, and the run then failed at step 1
  // when the mesh compiled it ("1 problem found", after changing the VirtualService).
  it('refuses a match regex the mesh could not compile, located at the pattern', () => {
    const text = EXPERIMENT.replace('      steps: [20, 100]', '      steps: [20, 100]\n    match:\n      - headers: {end-user: {regex: "("}}');
    const { experiment, problems } = validateExperimentText(text, 'demo.yaml');
    expect(experiment).toBeUndefined();
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^demo\.yaml:15:\d+ spec\.traffic\.match\[0\]\.headers\.end-user\.regex: invalid regular expression: .* \(Istio uses RE2 syntax\), got "\("$/),
    ]);
    expect(validateExperimentText(text.replace('regex: "("', 'regex: "(?P<n>ja)son"'), 'demo.yaml').problems).toEqual([]);
    expect(validateExperimentText(text.replace('regex: "("', 'regex: "(?=x)"'), 'demo.yaml').problems[0]?.message).toMatch(/lookahead is not supported by RE2/);
  });

  // Found by the fuzz suite: passed validate, then run stopped with "p99 must not be below the
  // median" from the mesh (or not, when interrupted before the mesh started).
  it('refuses a demo backend whose p99 is below its median, the default p99 included', () => {
    const backends = (latency: string) => EXPERIMENT.replace('    manifests: [istio]', `    manifests: [istio]\n    backends: [{host: reviews, subset: v2, demo: {latency: ${latency}}}]`);
    const problems = (latency: string) => validateExperimentText(backends(latency), 'demo.yaml').problems.map((p) => `${p.path}: ${p.message}`);
    expect(problems('{median: 40ms, p99: 30ms}')).toEqual(['spec.local.backends[0].demo.latency: p99 (30ms) must not be below the median (40ms)']);
    expect(problems('{median: 50ms}')).toEqual(['spec.local.backends[0].demo.latency: p99 (20ms) must not be below the median (50ms)']);
    expect(problems('{median: 40ms, p99: 40ms}')).toEqual([]);
  });

  it('passes the YAML limits on', () => {
    expect(validateExperimentText(EXPERIMENT, 'demo.yaml', { maxBytes: 10 }).problems[0]?.message).toMatch(/over the 10 B limit/);
  });
});

describe('checkExperimentFile / loadExperimentFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-validate-'));
    await mkdir(path.join(dir, 'exp', 'istio'), { recursive: true });
    await writeFile(path.join(dir, 'exp', 'demo.yaml'), EXPERIMENT);
    await writeFile(path.join(dir, 'exp', 'istio', 'dr.yaml'), DR);
    await writeFile(path.join(dir, 'exp', 'istio', 'vs.yaml'), VS);
    await writeFile(path.join(dir, 'exp', 'v3.yaml'), EXPERIMENT.replace('canary: v2', 'canary: v3'));
    await writeFile(path.join(dir, 'exp', 'broken-manifest.yaml'), EXPERIMENT.replace('[istio]', '[istio, broken.yaml]').replace('canary: v2', 'canary: v3'));
    await writeFile(path.join(dir, 'exp', 'broken.yaml'), 'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: g}\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('loads a file relative to cwd, with its manifests resolved against the file', async () => {
    const loaded = await loadExperimentFile('exp/demo.yaml', { cwd: dir });
    expect(loaded.file).toBe(path.join(dir, 'exp', 'demo.yaml'));
    expect(loaded.dir).toBe(path.join(dir, 'exp'));
    expect(loaded.experiment.metadata.name).toBe('demo');
    expect(loaded.manifests?.files).toEqual([path.join(dir, 'exp', 'istio', 'dr.yaml'), path.join(dir, 'exp', 'istio', 'vs.yaml')]);
  });

  it('checks the experiment against its manifests, naming files as the user did', async () => {
    const check = await checkExperimentFile('exp/v3.yaml', { cwd: dir });
    expect(check.experiment).toBeUndefined();
    expect(check.problems.map(formatProblem)).toEqual([
      'exp/v3.yaml:10:13 spec.target.canary: subset "v3" is not defined in DestinationRule reviews for host reviews\n' +
        '    hint: defined subsets: "v1", "v2" (exp/istio/dr.yaml:1)',
    ]);
  });

  it('reports manifest problems after the experiment\'s, and skips manifest rules that would only echo them', async () => {
    const check = await checkExperimentFile('exp/broken-manifest.yaml', { cwd: dir });
    expect(check.problems.map((p) => `${p.file}:${p.line} ${p.message}`)).toEqual([
      'exp/broken.yaml:2 mesh-exp reads only VirtualService, DestinationRule, Gateway objects, not ServiceEntry',
    ]);
  });

  it('turns a missing file into a problem, and loadExperimentFile into a ValidationError', async () => {
    const check = await checkExperimentFile('exp/none.yaml', { cwd: dir });
    expect(check.problems.map(formatProblem)).toEqual(['exp/none.yaml:1:1 file not found\n    hint: check the path and the current directory']);
    const err = await loadExperimentFile('exp/none.yaml', { cwd: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).hint).toBe('fix the problems above; "mesh-exp validate exp/none.yaml" checks the file without running it');
  });

  it('does not read manifests for provider istio', async () => {
    const istio = EXPERIMENT.replace('  target:\n', '  target:\n    provider: istio\n').replace('  local:\n    manifests: [istio]\n', '  load:\n    url: http://127.0.0.1:8080/\n');
    await writeFile(path.join(dir, 'exp', 'istio.yaml'), istio);
    const loaded = await loadExperimentFile('exp/istio.yaml', { cwd: dir });
    expect(loaded.manifests).toBeUndefined();
    expect(loaded.experiment.spec.load.url).toBe('http://127.0.0.1:8080/');
  });
});
