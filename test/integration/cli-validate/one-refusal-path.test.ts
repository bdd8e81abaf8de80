/**
 * Issue 18, one refusal path: a value `run` cannot use is refused by `validate` too, in the same
 * words, with file, line and field, and `run` refuses it the same way before anything starts
 * (exit 2, never a late runtime failure, a hang or a silently changed value). Each row puts one
 * bad value into an otherwise valid experiment.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCliInProcess } from '../../support/cli.js';

/** A valid experiment with `load`, `shift` and `local` lines replaceable by a row. */
function experiment(rows: { shift?: string; load?: string; local?: string; fault?: string; metrics?: string }): string {
  const manifests = JSON.stringify(path.join(REPO_ROOT, 'test/fixtures/valid/_istio'));
  return [
    'apiVersion: mesh-exp.dev/v1alpha1',
    'kind: Experiment',
    'metadata:',
    '  name: refusal',
    'spec:',
    '  target: { virtualService: reviews, host: reviews, stable: v1, canary: v2 }',
    '  traffic:',
    `    shift: { steps: [50], ${rows.shift ?? 'interval: 1s'} }`,
    ...(rows.fault ? [`    fault: { ${rows.fault} }`] : []),
    `  load: { ${rows.load ?? 'rate: 10'} }`,
    ...(rows.metrics ? [`  metrics: { prometheus: { ${rows.metrics} } }`] : []),
    `  local: { manifests: [${manifests}]${rows.local ? `, ${rows.local}` : ''} }`,
    '',
  ].join('\n');
}

/** [name, the rows, the field named, the message]. */
const CASES: [string, Parameters<typeof experiment>[0], string, string][] = [
  ['interval 600h', { shift: 'interval: 600h' }, 'spec.traffic.shift.interval', 'must be at most 24h, got "600h"'],
  ['a 20-digit interval', { shift: 'interval: 99999999999999999999h' }, 'spec.traffic.shift.interval', 'must be at most 24h'],
  ['timeout 0ms', { load: 'timeout: 0ms' }, 'spec.load.timeout', 'must be at least 1ms, got "0ms"'],
  ['a fault delay of 2h', { fault: 'delay: { fixedDelay: 2h }, subset: v2' }, 'spec.traffic.fault.delay.fixedDelay', 'must be at most 1h'],
  ['a Prometheus settle of 2h', { metrics: 'settle: 2h' }, 'spec.metrics.prometheus.settle', 'must be at most 1h'],
  ['a Prometheus scrapeInterval of 10ms', { metrics: 'scrapeInterval: 10ms' }, 'spec.metrics.prometheus.scrapeInterval', 'must be at least 100ms, got "10ms"'],
  ['a Prometheus address on a port fetch blocks', { metrics: 'address: "http://localhost:9/x"' }, 'spec.metrics.prometheus.address', 'port 9 is one fetch never connects to'],
  ['maxInFlight of a million', { load: 'maxInFlight: 1000000' }, 'spec.load.maxInFlight', 'must be at most 100000'],
  ['listen port 99999', { local: 'listen: "127.0.0.1:99999"' }, 'spec.local.listen', 'not a listen address: port 99999 is over 65535'],
  ['an admin address without a port', { local: 'admin: "127.0.0.1:"' }, 'spec.local.admin', 'not a listen address: the port is missing'],
  ['a header value with CR LF', { load: 'headers: { x-user: "a\\r\\nb" }' }, 'spec.load.headers.x-user', 'must not contain a CR (carriage return)'],
  ['a header name with a space', { load: 'headers: { "x user": a }' }, 'spec.load.headers["x user"]', 'not a valid header name'],
  ['a Transfer-Encoding header', { load: 'headers: { Transfer-Encoding: chunked }' }, 'spec.load.headers.Transfer-Encoding', 'cannot be set in load.headers'],
  ['a path with LF', { load: 'path: "/a\\nb"' }, 'spec.load.path', 'must not contain an LF (line feed)'],
  ['a path with a space', { load: 'path: "/a b"' }, 'spec.load.path', 'must not contain a space'],
  ['a Host header with LF', { load: 'host: "a\\nb"' }, 'spec.load.host', 'must not contain an LF'],
  ['rate beside stages', { load: 'rate: 10, stages: [{ rate: 20, duration: 1s }]' }, 'spec.load.rate', 'give either rate (a constant rate) or stages (a ramping rate), not both'],
  ['stages longer than the step\'s load', { load: 'stages: [{ rate: 20, duration: 1s }, { rate: 5, duration: 500ms }]' }, 'spec.load.stages', "stages last 1.5s but each step's load lasts 1s (spec.traffic.shift.interval)"],
  ['a stage rate over 100000', { load: 'stages: [{ rate: 100001, duration: 1s }]' }, 'spec.load.stages[0].rate', 'must be at most 100000'],
  ['a stage of 10ms', { load: 'stages: [{ rate: 20, duration: 10ms }]' }, 'spec.load.stages[0].duration', 'must be at least 100ms'],
  ['startRate without stages', { load: 'startRate: 5' }, 'spec.load.startRate', 'startRate applies only with stages'],
  ['stages that are all zero', { load: 'stages: [{ rate: 0, duration: 1s }]' }, 'spec.load.stages', 'every rate is 0, so no request would be sent'],
  ['a fault matching a query parameter by prefix', { fault: 'abort: { httpStatus: 503, percentage: 10 }, subset: v2, match: [{ queryParams: { u: { prefix: a } } }]' }, 'spec.traffic.fault.match[0].queryParams.u.prefix', 'prefix is not supported for a query parameter'],
];

describe('validate refuses what run refuses, the same way', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-refusal-'));
    await writeFile(path.join(dir, 'valid.yaml'), experiment({}));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('the base experiment is valid (each row changes one thing)', async () => {
    const { code, stdout } = await runCliInProcess(['validate', 'valid.yaml'], dir);
    expect(code, stdout).toBe(0);
  });

  it.each(CASES)('%s: validate and run exit 2 naming the file, line and field', async (name, rows, field, message) => {
    const file = `${name.replace(/\W+/g, '-')}.yaml`;
    await writeFile(path.join(dir, file), experiment(rows));
    const outputs: string[] = [];
    for (const command of ['validate', 'run']) {
      const { code, stdout, stderr } = await runCliInProcess([command, file, ...(command === 'run' ? ['--report-dir', path.join(dir, 'runs')] : [])], dir);
      const text = stdout + stderr;
      expect(code, `${command}: ${text}`).toBe(2);
      const line = text.split('\n').find((l) => l.includes(` ${field}: `));
      expect(line, `${command}: ${text}`).toMatch(new RegExp(`^${file.replace(/\./g, '\\.')}:\\d+:\\d+ `));
      expect(line).toContain(message);
      expect(text).not.toMatch(/\n\s+at /);
      outputs.push(line!);
    }
    // One code path: the same words from both commands.
    expect(outputs[1]).toBe(outputs[0]);
  });
});

/** [name, text of the VirtualService file, its replacement, words of the message]. */
const MANIFEST_CASES: [string, string, string, string][] = [
  ['a route timeout no timer can hold', '    - name: primary\n', '    - name: primary\n      timeout: 9000000h\n', 'invalid duration'],
  ['a header regex RE2 refuses', '    - name: primary\n', '    - name: primary\n      match:\n        - headers:\n            end-user:\n              regex: "(?=jason)"\n', 'regex'],
  // The provider's preflight (run's first step) refuses it: shifting would change the other share.
  ['a target route with a third destination', '          weight: 100\n', '          weight: 90\n        - destination:\n            host: ratings\n            subset: v1\n          weight: 10\n', 'has destinations other than'],
];

describe('validate refuses what the local mesh would refuse in the manifests', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-refusal-manifests-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each(MANIFEST_CASES)('%s: validate and run exit 2 naming the manifest file', async (name, search, replacement, words) => {
    const sub = path.join(dir, name.replace(/\W+/g, '-'));
    await mkdir(path.join(sub, 'istio'), { recursive: true });
    const istio = path.join(REPO_ROOT, 'test/fixtures/valid/_istio');
    const vs = await readFile(path.join(istio, 'virtual-services.yaml'), 'utf8');
    expect(vs).toContain(search);
    await writeFile(path.join(sub, 'istio/virtual-services.yaml'), vs.replace(search, replacement));
    await copyFile(path.join(istio, 'destination-rules.yaml'), path.join(sub, 'istio/destination-rules.yaml'));
    const text = experiment({}).replace(/manifests: \[[^\]]*\]/, 'manifests: [istio]');
    await writeFile(path.join(sub, 'experiment.yaml'), text);
    const outputs: string[] = [];
    for (const command of ['validate', 'run']) {
      const { code, stdout, stderr } = await runCliInProcess([command, 'experiment.yaml', ...(command === 'run' ? ['--report-dir', path.join(sub, 'runs')] : [])], sub);
      const out = stdout + stderr;
      expect(code, `${command}: ${out}`).toBe(2);
      const line = out.split('\n').find((l) => l.startsWith('istio/virtual-services.yaml:'));
      expect(line, `${command}: ${out}`).toBeDefined();
      expect(line).toContain(words);
      expect(out).not.toMatch(/\n\s+at /);
      outputs.push(line!);
    }
    expect(outputs[1]).toBe(outputs[0]);
  });
});
