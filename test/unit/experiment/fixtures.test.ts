/**
 * Table-driven check of the experiment front end against the fixture files:
 * - test/fixtures/invalid/<case>/experiment.yaml must print exactly the lines of expected.txt
 *   (an optional options.json passes loader options, e.g. a lower size limit);
 * - test/fixtures/valid/<case>/experiment.yaml must load, with the values asserted below.
 * Directories starting with "_" hold shared manifests, not cases.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ValidationError, formatProblem } from '../../../src/errors.js';
import type { Experiment } from '../../../src/experiment/schema.js';
import { checkExperimentFile, loadExperimentFile, type LoadedExperiment } from '../../../src/experiment/validate.js';
import { httpRouteTargetOf } from '../../../src/traffic/target-object.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const casesIn = (dir: string) =>
  readdirSync(path.join(fixtures, dir), { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('_'))
    .map((e) => e.name)
    .sort();

const invalidCases = casesIn('invalid');
const validCases = casesIn('valid');

describe('invalid experiment fixtures', () => {
  it('has at least 35 cases, each with an expected.txt', () => {
    expect(invalidCases.length).toBeGreaterThanOrEqual(35);
    for (const name of invalidCases) expect(existsSync(path.join(fixtures, 'invalid', name, 'expected.txt')), name).toBe(true);
  });

  it.each(invalidCases)('%s prints exactly expected.txt', async (name) => {
    const dir = path.join(fixtures, 'invalid', name);
    const optionsFile = path.join(dir, 'options.json');
    const options = existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, 'utf8')) as object) : {};
    const check = await checkExperimentFile('experiment.yaml', { cwd: dir, ...options });
    const expected = readFileSync(path.join(dir, 'expected.txt'), 'utf8').trimEnd();
    expect(check.experiment).toBeUndefined();
    expect(check.problems.map(formatProblem).join('\n')).toBe(expected);
  });

  it('loadExperimentFile throws one ValidationError carrying every problem', async () => {
    const dir = path.join(fixtures, 'invalid', 'many-problems');
    const err = await loadExperimentFile('experiment.yaml', { cwd: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    const problems = (err as ValidationError).problems;
    expect(problems.length).toBeGreaterThanOrEqual(6);
    const lines = problems.map((p) => p.line ?? 0);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect((err as ValidationError).exitCode).toBe(2);
  });
});

/** What each valid case must come out as (checks the parse, not just "no problems"). */
const validChecks: Record<string, (e: Experiment, loaded: LoadedExperiment) => void> = {
  'shift-steps': (e, l) => {
    expect(e.spec.traffic.shift?.steps).toEqual([10, 50, 100]);
    expect(e.spec.traffic.shift?.interval).toBe(10_000);
    expect(e.spec.load.duration).toBe(8_000);
    expect(e.spec.slos.map((s) => ('max' in s ? s.max : undefined))).toEqual([0.01, 250]);
    expect(e.spec.local?.backends[1]?.demo?.errorRate).toBeCloseTo(0.001, 12);
    expect(l.manifests?.virtualServices.map((v) => v.metadata.name)).toEqual(['reviews', 'ratings']);
    expect(l.manifests?.destinationRules.map((r) => r.metadata.name)).toEqual(['reviews', 'ratings']);
  },
  'step-weight': (e) => {
    expect(e.spec.traffic.shift).toMatchObject({ stepWeight: 20, maxWeight: 60, interval: 90_000, promote: false });
    expect(e.spec.analysis).toEqual({ threshold: 2, minSamples: 50, noDataFails: false, abortWhen: [], mode: 'fixed', promoteEarly: false });
  },
  'fault-jason': (e) => {
    expect(e.spec.traffic.fault).toMatchObject({
      delay: { fixedDelay: 2000, percentage: 50 },
      abort: { httpStatus: 503, percentage: 10.5 },
      match: [{ headers: { 'end-user': { exact: 'jason' } } }],
      duration: 45_000,
    });
    expect(e.spec.slos.every((s) => 'subject' in s && s.subject === 'all')).toBe(true);
  },
  mirror: (e) => {
    expect(e.spec.traffic.mirror).toEqual({ subset: 'v3', percentage: 50, duration: 60_000 });
    expect(e.spec.local?.backends[0]?.demo?.latency).toEqual({ median: 40, p99: 400 });
  },
  'ab-match': (e) => {
    expect(e.spec.traffic.match).toHaveLength(2);
    expect(e.spec.load).toMatchObject({ method: 'POST', path: '/api/reviews?canary=true' });
    expect(e.spec.local?.backends[0]?.command).toEqual(['node', 'server.js']);
  },
  'k6-generator': (e) => {
    expect(e.spec.load).toMatchObject({ generator: 'k6', rate: 200, duration: 25_000, maxInFlight: 400 });
    expect(e.spec.slos.map((s) => (s.kind === 'latency' ? s.percentile : s.kind))).toEqual(['p99.9', 'max']);
  },
  'istio-provider': (e, l) => {
    expect(e.spec.target).toMatchObject({ provider: 'istio', namespace: 'bookinfo' });
    expect(e.spec.local).toBeUndefined();
    expect(l.manifests).toBeUndefined();
  },
  'gateway-api': (e, l) => {
    expect(e.spec.target).toMatchObject({ provider: 'gateway-api', namespace: 'bookinfo', httpRoute: 'reviews', canaryService: 'reviews-canary' });
    expect(e.spec.target.virtualService).toBeUndefined();
    expect(httpRouteTargetOf({ ...e.spec.target, httpRoute: 'reviews' })).toEqual({
      namespace: 'bookinfo',
      httpRoute: 'reviews',
      host: e.spec.target.host,
      stable: 'reviews-v1',
      canary: 'reviews-canary',
      services: { v1: 'reviews-v1', v2: 'reviews-canary' },
    });
    expect(l.manifests).toBeUndefined();
  },
  attach: (e, l) => {
    expect(e.spec.local).toMatchObject({ attach: 'http://127.0.0.1:15020', backends: [] });
    expect(e.spec.local?.manifests).toBeUndefined();
    expect(l.manifests).toBeUndefined();
  },
  minimal: (e) => {
    expect(e.spec.load).toMatchObject({ generator: 'builtin', rate: 50, path: '/', timeout: 5000 });
    expect(e.spec.target.provider).toBe('local');
    expect(e.spec.traffic.shift?.interval).toBe(10_000);
  },
};

describe('valid experiment fixtures', () => {
  it('every valid case has its checks', () => {
    expect(validCases.sort()).toEqual(Object.keys(validChecks).sort());
  });

  it.each(validCases)('%s loads', async (name) => {
    const dir = path.join(fixtures, 'valid', name);
    const loaded = await loadExperimentFile('experiment.yaml', { cwd: dir });
    expect(loaded.file).toBe(path.join(dir, 'experiment.yaml'));
    expect(loaded.dir).toBe(dir);
    validChecks[name]!(loaded.experiment, loaded);
  });
});
