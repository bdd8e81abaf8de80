import { LineCounter, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { formatProblem, MAX_PROBLEMS, problemCount } from '../errors.js';
import { describeValue, problemsFromIssues } from './issues.js';
import { experimentSchema } from '../experiment/schema.js';

function check(yaml: string): string[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter });
  const data = doc.toJS();
  const result = experimentSchema.safeParse(data);
  if (result.success) return [];
  return problemsFromIssues(result.error.issues, { doc, lineCounter, data, file: 'x.yaml', schema: experimentSchema }).map(formatProblem);
}

const HEAD = 'apiVersion: mesh-exp.dev/v1alpha1\nkind: Experiment\nmetadata:\n  name: x\n';
const SPEC = (body: string) =>
  `${HEAD}spec:\n  target: {virtualService: reviews, host: reviews, stable: v1, canary: v2}\n  traffic:\n    shift: {steps: [10]}\n${body}`;

describe('problemsFromIssues: a long list', () => {
  it('locates and lists the first MAX_PROBLEMS, then one entry counting the rest at the first of them', () => {
    const keys = Array.from({ length: 70 }, (_, i) => `k${i}: 1`).join('\n');
    const text = `${SPEC('')}${keys}\n`;
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter });
    const data = doc.toJS();
    const result = experimentSchema.safeParse(data);
    const problems = problemsFromIssues(result.success ? [] : result.error.issues, { doc, lineCounter, data, file: 'x.yaml', schema: experimentSchema });
    expect(problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(problems.slice(0, MAX_PROBLEMS).every((p) => /^unknown field "k\d+"$/.test(p.message) && p.more === undefined)).toBe(true);
    const last = problems.at(-1)!;
    expect(last).toMatchObject({ path: '', more: 70 - MAX_PROBLEMS, message: `${70 - MAX_PROBLEMS} more problems from here on, not listed (only the first ${MAX_PROBLEMS} are)` });
    expect(last.line).toBe(text.split('\n').indexOf(`k${MAX_PROBLEMS}: 1`) + 1);
    expect(problemCount(problems)).toBe(70);
  });
});

describe('describeValue', () => {
  it('names values in plain words', () => {
    expect(describeValue('ten')).toBe('the string "ten"');
    expect(describeValue(5)).toBe('the number 5');
    expect(describeValue(true)).toBe('true');
    expect(describeValue(null)).toBe('an empty value');
    expect(describeValue([])).toBe('an empty list');
    expect(describeValue([1])).toBe('a list');
    expect(describeValue({})).toBe('a map');
    expect(describeValue('x'.repeat(100))).toBe(`the string "${'x'.repeat(57)}..."`);
  });
});

describe('problemsFromIssues', () => {
  it('rewrites type errors in plain words, located at the value', () => {
    expect(check(SPEC('  load:\n    rate: ten\n'))).toEqual(['x.yaml:10:11 spec.load.rate: expected a number, got the string "ten"']);
    expect(check(SPEC('  analysis:\n    threshold: 1.5\n'))).toEqual([
      'x.yaml:10:16 spec.analysis.threshold: expected a whole number, got the number 1.5',
    ]);
  });

  it('says "put it in quotes" when the text form would pass, and what is missing otherwise', () => {
    expect(check(SPEC('  load:\n    versionHeader: 12\n'))).toEqual([
      'x.yaml:10:20 spec.load.versionHeader: expected a string, got the number 12\n    hint: put it in quotes: "12"',
    ]);
    expect(check(SPEC('  load:\n    timeout: 10\n'))).toEqual([
      'x.yaml:10:14 spec.load.timeout: expected a duration such as "500ms", "10s" or "1m30s", got the number 10',
    ]);
  });

  it('points at an unknown key with a guess, and drops the "missing" issue the typo explains', () => {
    const out = check(SPEC('  slos:\n    - kind: latency\n      mx: 1s\n'));
    // No guess for a two-letter key, so the missing "max" is reported as well.
    expect(out).toEqual([
      'x.yaml:10:7 spec.slos[0].max: required field is missing\n    hint: add "max:" under spec.slos[0]. Highest acceptable value of the percentile, e.g. "250ms". From 0.001ms to 1h.',
      'x.yaml:11:7 spec.slos[0].mx: unknown field "mx"\n    hint: allowed fields: kind, name, subject, percentile, max',
    ]);
    const typo = check(SPEC('  slos:\n    - kind: latency\n      maxx: 1s\n'));
    expect(typo).toEqual(['x.yaml:11:7 spec.slos[0].maxx: unknown field "maxx"\n    hint: did you mean "max"?']);
  });

  it('points a missing key at its parent, with the field description as hint', () => {
    expect(check(`${HEAD}spec:\n  target:\n    virtualService: reviews\n    stable: v1\n    canary: v2\n  traffic: {match: [{uri: {prefix: /}}]}\n`)).toEqual([
      'x.yaml:6:3 spec.target.host: required field is missing\n' +
        '    hint: add "host:" under spec.target. Destination host (service) whose subsets are shifted, e.g. "reviews" (gateway-api: the Service clients call).',
    ]);
  });

  it('explains a missing discriminator and lists the kinds', () => {
    expect(check(SPEC('  slos:\n    - max: 1s\n'))).toEqual([
      'x.yaml:10:7 spec.slos[0].kind: required field is missing\n    hint: one of: error-rate, latency, prometheus, relative-latency, relative-error-rate, response-flag, ejections, retry-success-rate',
    ]);
  });

  it('words list and number bounds', () => {
    expect(check(SPEC('  local:\n    manifests: []\n'))).toEqual(['x.yaml:10:5 spec.local.manifests: needs at least 1 entry, got 0']);
    expect(check(SPEC('  load:\n    maxInFlight: 0\n'))).toEqual(['x.yaml:10:18 spec.load.maxInFlight: must be at least 1, got 0']);
    expect(check(SPEC('  target2: 1\n'))[0]).toMatch(/unknown field "target2"\n    hint: did you mean "target"\?/);
  });

  it('suggests close enum values', () => {
    expect(check(SPEC('  load:\n    generator: K6\n'))).toEqual([
      'x.yaml:10:16 spec.load.generator: expected one of "builtin", "k6", "vegeta", "none", got the string "K6"',
    ]);
    expect(check(SPEC('  load:\n    generator: bultin\n'))).toEqual([
      'x.yaml:10:16 spec.load.generator: expected one of "builtin", "k6", "vegeta", "none", got the string "bultin"\n    hint: did you mean "builtin"?',
    ]);
  });
});
