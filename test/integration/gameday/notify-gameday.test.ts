/**
 * A game day's `spec.notify` end to end: `mesh-exp run` of a day of two one-second faults on the
 * in-process local mesh, through the CLI in-process, notifying real receivers
 * (test/support/notify-receiver.ts). The day's targets hear its start, each experiment's end (a
 * "decision" of the day) and its verdict once the combined reports are written, in that order,
 * following schema/notification.schema.json (ajv); the second experiment's own `spec.notify` still
 * tells of its run; no secret is in any file of the day's directory nor in anything printed; a
 * missing secret is refused by validate and run alike (exit 2, located) before anything is
 * created; a hanging receiver changes neither the day's verdict nor more than its end (by the
 * grace time, shortened by Ctrl-C).
 */
import { readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SignalError } from '../../../src/errors.js';
import { INTERRUPTED_GRACE_MS, NOTIFY_GRACE_MS } from '../../../src/notify/index.js';
import { REPO_ROOT } from '../../support/cli.js';
import { readDayReports } from '../../support/gameday.js';
import { useNotifyReceivers } from '../../support/notify-receiver.js';
import { cliWithEnv, filesUnder, validatePayload } from '../../support/notify-run.js';

const DAY_ENV = 'MESH_EXP_TEST_DAY_HOOK';
const RUN_ENV = 'MESH_EXP_TEST_RUN_HOOK';
const receiver = useNotifyReceivers();

/** One inline fault of a second (5 ms delay: it passes), with `extra` lines appended to its spec. */
const fault = (name: string, extra: string[] = []) => [
  '    - experiment:',
  `        metadata: { name: ${name} }`,
  '        spec:',
  '          target: { virtualService: reviews, route: reviews-main, host: reviews, stable: v1, canary: v2 }',
  '          traffic: { fault: { delay: { fixedDelay: 5ms }, duration: 1s } }',
  '          slos: [{ kind: error-rate, subject: all, max: 5% }]',
  '          analysis: { minSamples: 5 }',
  `          local: { manifests: [${path.join(REPO_ROOT, 'experiments/manifests')}] }`,
  ...extra,
];

/** `<dir>/day.yaml`: the day notifying a webhook ($DAY_ENV) and a Slack hook (day-hook.txt); its second experiment notifies $RUN_ENV itself. */
async function dayIn(dir: string, targetExtra: string[] = []): Promise<string> {
  const text = [
    'apiVersion: mesh-exp.dev/v1alpha1',
    'kind: GameDay',
    'metadata:',
    '  name: notify-day',
    '  description: Two short faults, told to webhooks.',
    'spec:',
    '  defaults:',
    '    load: { path: /reviews/1, rate: 50 }',
    '  notify:',
    '    - type: webhook',
    `      urlFrom: {env: ${DAY_ENV}}`,
    ...targetExtra,
    '    - type: slack',
    '      urlFrom: {file: day-hook.txt}',
    ...targetExtra,
    '  experiments:',
    ...fault('day-fault-1'),
    ...fault('day-fault-2', ['          notify:', '            - type: webhook', `              urlFrom: {env: ${RUN_ENV}}`]),
    '',
  ].join('\n');
  const file = path.join(dir, 'day.yaml');
  await writeFile(file, text);
  return file;
}

const cli = cliWithEnv;

const tempDir = () => mkdtemp(path.join(tmpdir(), 'mesh-exp-gameday-notify-'));
type Payload = { kind: string; event: string; time: string; experiment?: number; experimentName?: string; status?: string; outcome?: string; next?: string; report?: string; planned?: number; exitCode?: number };

/** The day in a temp dir whose own targets both hang (timeout 30 s each), its experiment's answering; the environment to run it with. */
async function hangingDay() {
  const dir = await tempDir();
  const hook = await receiver([], 'hang');
  const run = await receiver();
  await writeFile(path.join(dir, 'day-hook.txt'), hook.url);
  await dayIn(dir, ['      timeout: 30s']);
  return { dir, hook, env: { [DAY_ENV]: hook.url, [RUN_ENV]: run.url } };
}

describe('a game day with spec.notify', () => {
  it('tells its targets of its start, each experiment\'s end and its verdict after the reports; the experiment\'s own notify still works; no secret anywhere', async () => {
    const dir = await tempDir();
    const day = await receiver();
    const slack = await receiver();
    const run = await receiver();
    await writeFile(path.join(dir, 'day-hook.txt'), `${slack.url}\n`);
    await dayIn(dir);
    const out = await cli(['run', 'day.yaml', '--report-dir', 'day', '--no-progress'], dir, { [DAY_ENV]: day.url, [RUN_ENV]: run.url });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('GAME DAY PASSED');

    const payloads = day.requests.map((r) => r.json as Payload);
    expect(payloads.map((p) => `${p.kind}:${p.event}${p.experiment ? `:${p.experiment}:${p.experimentName}:${p.status}:${p.next}` : ''}`)).toEqual([
      'game-day:start',
      'game-day:decision:1:day-fault-1:passed:continue',
      'game-day:decision:2:day-fault-2:passed:stop',
      'game-day:verdict',
    ]);
    for (const p of payloads) expect(validatePayload(p), JSON.stringify(validatePayload.errors)).toBe(true);
    expect(payloads[0]).toMatchObject({ name: 'notify-day', planned: 2, description: 'Two short faults, told to webhooks.' });
    // Each decision names its run's report, relative to where mesh-exp ran; the verdict the day's index.
    expect(payloads[1]).toMatchObject({ outcome: 'passed', exitCode: 0, restored: true, report: path.join('day', '01-day-fault-1', 'report.html') });
    expect(payloads[2]!.report).toBe(path.join('day', '02-day-fault-2', 'report.html'));
    const { result, schemaErrors } = await readDayReports(path.join(dir, 'day'));
    expect(schemaErrors).toBeNull();
    expect(payloads[3]).toMatchObject({ outcome: 'passed', exitCode: 0, restored: true, summary: result.summary, report: path.join('day', 'index.html') });
    for (const p of payloads.slice(1)) expect(statSync(path.join(dir, p.report!)).isFile(), p.report).toBe(true);
    // The verdict went out once the combined reports were written.
    for (const name of ['index.html', 'junit.xml', 'summary.md', 'result.json']) {
      expect(statSync(path.join(dir, 'day', name)).mtimeMs, name).toBeLessThanOrEqual(Date.parse(payloads[3]!.time) + 1);
    }
    expect(slack.requests).toHaveLength(4);
    for (const r of slack.requests) expect(Object.keys(r.json as object)).toEqual(['text', 'blocks']);
    // The second experiment's own target: its run's events, kind "experiment".
    const own = run.requests.map((r) => r.json as Payload);
    expect(own.map((p) => `${p.kind}:${p.event}`)).toEqual(['experiment:start', 'experiment:decision', 'experiment:verdict']);
    expect(own.at(-1)).toMatchObject({ name: 'day-fault-2', outcome: 'passed' });

    const secrets = [day.secret, slack.secret, run.secret];
    const files = filesUnder(path.join(dir, 'day'));
    expect(files.map(([f]) => f)).toEqual(expect.arrayContaining(['gameday.jsonl', 'result.json', 'index.html', path.join('02-day-fault-2', 'journal.jsonl'), path.join('02-day-fault-2', 'result.json')]));
    for (const [name, text] of files) for (const s of secrets) expect(text.includes(s), `${s} in ${name}`).toBe(false);
    for (const s of secrets) expect(`${out.stdout}${out.stderr}`).not.toContain(s);
    // Every event was delivered: the end waited for no grace time.
    expect(out.endedAt - result.endedAt).toBeLessThan(1_500);
  }, 60_000);

  it('refuses a missing secret, the day\'s and an experiment\'s, in validate and run alike (exit 2, located), before anything is created', async () => {
    const dir = await tempDir();
    await dayIn(dir);
    const lines = (await readFile(path.join(dir, 'day.yaml'), 'utf8')).split('\n');
    const at = (text: string) => {
      const i = lines.findIndex((l) => l.includes(text));
      return `day.yaml:${i + 1}:${lines[i]!.indexOf(text) + 1}`;
    };
    const valid = await cli(['validate', 'day.yaml'], dir, {});
    expect(valid.code).toBe(2);
    expect(valid.stdout).toContain(`${at(DAY_ENV)} spec.notify[0].urlFrom.env: environment variable ${DAY_ENV} is not set\n    hint: export ${DAY_ENV}=<the webhook URL>`);
    expect(valid.stdout).toContain(`${at('day-hook.txt')} spec.notify[1].urlFrom.file: cannot read the URL file day-hook.txt: file not found`);
    expect(valid.stdout).toContain(`${at(RUN_ENV)} spec.experiments[1].experiment.spec.notify[0].urlFrom.env: environment variable ${RUN_ENV} is not set`);
    expect((await cli(['validate', 'day.yaml', '--no-secret-check'], dir, {})).code).toBe(0);
    const run = await cli(['run', 'day.yaml', '--report-dir', 'day', '--no-progress'], dir, {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${at(DAY_ENV)} spec.notify[0].urlFrom.env: environment variable ${DAY_ENV} is not set`);
    expect(readdirSync(dir)).toEqual(['day.yaml']);
  });

  it('a hanging receiver changes neither the day\'s verdict nor its runs, and delays its end by the grace time at most', async () => {
    const { dir, hook, env } = await hangingDay();
    const out = await cli(['run', 'day.yaml', '--report-dir', 'day', '--no-progress'], dir, env);
    expect(out.code, out.stderr).toBe(0);
    const { result } = await readDayReports(path.join(dir, 'day'));
    expect(result).toMatchObject({ verdict: 'pass', exitCode: 0 });
    expect(result.experiments.map((e) => [e.status, e.restored])).toEqual([['passed', true], ['passed', true]]);
    // The second experiment started right after the first ended: no send was awaited in between.
    expect(result.experiments[1]!.startedAt! - result.experiments[0]!.endedAt!).toBeLessThan(1_500);
    const tail = out.endedAt - result.endedAt;
    expect(tail).toBeGreaterThanOrEqual(NOTIFY_GRACE_MS - 100);
    expect(tail).toBeLessThan(NOTIFY_GRACE_MS + 2_000);
    const warnings = out.stderr.split('\n').filter((l) => l.startsWith('warning: notification to') && l.includes('(slack)'));
    expect(warnings).toEqual([`warning: notification to <url from file day-hook.txt> (slack): 4 of 4 event(s) not delivered (first: start: no answer yet; cancelled at the end of the grace time); stopped waiting after ${NOTIFY_GRACE_MS} ms`]);
    expect(`${out.stdout}${out.stderr}`).not.toContain(hook.secret);
  }, 60_000);

  it('Ctrl-C with a hanging receiver: the experiment in hand restored, the rest skipped, exit 130 within the shorter grace time', async () => {
    const { dir, hook, env } = await hangingDay();
    const controller = new AbortController();
    const running = cliWithEnv(['run', 'day.yaml', '--report-dir', 'day', '--no-progress'], dir, env, controller.signal);
    // Both of the day's targets got its start (and hang on it); then into the first experiment.
    await hook.waitFor(2, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const abortedAt = Date.now();
    controller.abort(new SignalError('SIGINT'));
    const out = await running;
    expect(out.code, out.stderr).toBe(130);
    const { result } = await readDayReports(path.join(dir, 'day'));
    expect(result.experiments.map((e) => [e.status, e.restored ?? null])).toEqual([['interrupted', true], ['skipped', null]]);
    // The restore, the reports, then INTERRUPTED_GRACE_MS for the hanging sends.
    expect(out.endedAt - abortedAt).toBeLessThan(INTERRUPTED_GRACE_MS + 2_500);
    expect(out.stderr).toContain(`stopped waiting ${INTERRUPTED_GRACE_MS} ms after the interruption`);
  }, 60_000);
});
