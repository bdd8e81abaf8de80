/**
 * Scripted load (load.requests, load.data) through the real engines: the built-in generator and
 * the real vegeta binary against a local HTTP server, then a whole `mesh-exp run` of the shipped
 * experiments/canary-vegeta.yaml on the embedded local mesh. Shares are checked with loose
 * binomial bounds, never timing.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBuiltinGenerator } from '../../../src/load/builtin/builtin-generator.js';
import { createRequestPicker } from '../../../src/load/request-picker.js';
import type { LoadGenerator, Sample } from '../../../src/load/types.js';
import { createVegetaGenerator } from '../../../src/load/vegeta/vegeta-generator.js';
import type { Scenario } from '../../../src/experiment/scenario.js';
import type { RunResult } from '../../../src/model/result.js';
import { REPO_ROOT, runCliInProcess } from '../../support/cli.js';
import { startTestServer, testLoadPlan, type TestServer } from '../../support/load-test-server.js';
import { requireTool } from '../../support/require-tool.js';

const vegeta = requireTool(path.join(REPO_ROOT, '.tools/vegeta/bin/vegeta'), 'the scripted-load tests on vegeta (scripts/provision-tools.sh builds it)');
const never = new AbortController().signal;
let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Two requests 3:1 sharing one path (only the method tells them apart), filled from three rows. */
const SCENARIO: Scenario = {
  requests: [
    { name: 'read', method: 'GET', path: '/item/{{ id }}', headers: { 'x-user': '{{ user }}' }, weight: 3 },
    { name: 'also-read', method: 'GET', path: '/item/{{ id }}', headers: { 'x-user': '{{ user }}', 'x-kind': 'also' }, weight: 1 },
  ],
  data: { file: 'rows.csv', order: 'round-robin', columns: ['id', 'user'], rows: [['1', 'alice'], ['2', 'bob'], ['3', 'carol']].map((values, i) => ({ values, line: i + 2 })) },
  seed: 5,
  scripted: true,
};

interface Seen {
  url: string;
  user: string | undefined;
  kind: string | undefined;
}

/** A server that answers with the request kind in x-version, so each sample can be checked against what the server saw. */
async function recordingServer(seen: Seen[]): Promise<TestServer> {
  return startTestServer((req: http.IncomingMessage, res: http.ServerResponse) => {
    const kind = req.headers['x-kind'] as string | undefined;
    seen.push({ url: req.url ?? '', user: req.headers['x-user'] as string | undefined, kind });
    res.setHeader('x-version', kind === 'also' ? 'also' : 'plain');
    res.end('ok');
  });
}

const engines: [string, () => LoadGenerator, boolean][] = [
  ['builtin', () => createBuiltinGenerator(), false],
  ['vegeta', () => createVegetaGenerator({ binary: vegeta ?? 'vegeta' }), vegeta === undefined],
];

describe.each(engines)('scripted load on %s', (_name, create, skip) => {
  it.skipIf(skip)('both names get traffic by weight, each sample names its request, data rows reach the server', async () => {
    const seen: Seen[] = [];
    server = await recordingServer(seen);
    const picker = createRequestPicker({ scenario: SCENARIO, urlOf: (p) => `${server!.url}${p}` });
    const samples: Sample[] = [];
    const summary = await create().run(testLoadPlan(`${server.url}/`, { rate: 200, durationMs: 2000, picker }), (s) => samples.push(s), never);
    expect(summary.completed).toBeGreaterThan(200);
    // Attribution is right for every sample: the server's answer says which request it got.
    for (const s of samples) expect([s.request, s.version]).toEqual(s.version === 'also' ? ['also-read', 'also'] : ['read', 'plain']);
    // 3:1 over n > 200 requests: share 0.75 ± 5·sqrt(.75·.25/200) ≈ [0.60, 0.90].
    const share = samples.filter((s) => s.request === 'read').length / samples.length;
    expect(share).toBeGreaterThan(0.6);
    expect(share).toBeLessThan(0.9);
    // The rows filled path and header together, and no fragment went on the wire.
    const pairs = new Set(seen.map((s) => `${s.url} ${s.user}`));
    expect(pairs).toEqual(new Set(['/item/1 alice', '/item/2 bob', '/item/3 carol']));
  });
});

describe.skipIf(vegeta === undefined)('experiments/canary-vegeta.yaml', () => {
  it('validates, and a real run reports figures per request name and version in result.json, summary.md and report.html', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-scenario-run-'));
    try {
      const valid = await runCliInProcess(['validate', 'experiments/canary-vegeta.yaml']);
      expect(valid.code, valid.stdout + valid.stderr).toBe(0);
      const { code, stdout, stderr } = await runCliInProcess(['run', 'experiments/canary-vegeta.yaml', '--report-dir', dir]);
      expect(code, stdout + stderr).toBe(0);
      const result = JSON.parse(await readFile(path.join(dir, 'result.json'), 'utf8')) as RunResult;
      expect(result.environment.engine).toBe('vegeta');
      for (const step of result.steps) {
        expect(step.requests?.map((r) => r.name)).toEqual(['read-reviews', 'rate-product']);
        const count = (name: string) => step.requests!.find((r) => r.name === name)!.stats.find((s) => s.version === 'all')!.count;
        const all = step.stats.find((s) => s.version === 'all')!.count;
        // Every request is counted under exactly one name.
        expect(count('read-reviews') + count('rate-product')).toBe(all);
        // 4:1 over ~400 requests: share 0.8 ± 5·sqrt(.8·.2/400) = [0.70, 0.90].
        expect(count('read-reviews') / all).toBeGreaterThan(0.7);
        expect(count('read-reviews') / all).toBeLessThan(0.9);
      }
      // At 100% only v2 answers, per request too.
      const last = result.steps.at(-1)!.requests!;
      for (const r of last) expect(r.stats.map((s) => s.version)).toEqual(['v2', 'all']);
      expect(await readFile(path.join(dir, 'summary.md'), 'utf8')).toMatch(/\| 1 \| read-reviews \| v1 \| \d+ \| 0\.00% \|/);
      expect(await readFile(path.join(dir, 'report.html'), 'utf8')).toContain('<section id="requests"><h2>Per request</h2>');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
