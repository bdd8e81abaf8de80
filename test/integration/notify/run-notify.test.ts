/**
 * `spec.notify` end to end: `mesh-exp run` of a short local-mesh canary (two 2 s steps) through
 * the CLI in-process, notifying a real receiver (test/support/notify-receiver.ts). The events come
 * in order (start, each decision, verdict) and follow schema/notification.schema.json (ajv); the
 * secret URL is in no file of the run directory nor in anything printed; a missing secret is
 * refused by validate and run alike (exit 2, located); a hanging receiver changes neither the
 * verdict nor the steps' timing, and delays the end by the grace time at most, Ctrl-C included.
 */
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCaptureStream, createContext } from '../../../src/context.js';
import { SignalError, UsageError } from '../../../src/errors.js';
import { loadExperimentFile } from '../../../src/experiment/validate.js';
import { runExperiment } from '../../../src/runner/runner.js';
import { INTERRUPTED_GRACE_MS, NOTIFY_GRACE_MS } from '../../../src/notify/index.js';
import { useNotifyReceivers } from '../../support/notify-receiver.js';
import { cliWithEnv, filesUnder, validatePayload } from '../../support/notify-run.js';
import { writeShortCanary } from '../../support/short-canary.js';

const ENV = 'MESH_EXP_TEST_HOOK';
const receiver = useNotifyReceivers();

/** The short canary notifying a webhook (URL from $ENV) and a Slack-compatible hook (URL from hook.txt). */
async function experimentIn(dir: string, extra = '', edit: (text: string) => string = (t) => t): Promise<string> {
  const notify = ['  notify:', '    - type: webhook', `      urlFrom: {env: ${ENV}}${extra}`, '    - type: slack', `      urlFrom: {file: hook.txt}${extra}`, ''].join('\n');
  return writeShortCanary(dir, (t) => edit(t.replace('  local:\n', `${notify}  local:\n`)), 'notify:');
}

const cli = cliWithEnv;

const tempDir = () => mkdtemp(path.join(tmpdir(), 'mesh-exp-notify-'));
type Payload = { kind: string; event: string; decision?: string; step?: number; outcome?: string; report?: string };

describe('mesh-exp run with spec.notify', () => {
  it('tells both receivers of the start, each decision and the verdict; the secret is nowhere in the run directory nor the output', async () => {
    const dir = await tempDir();
    const hook = await receiver();
    const slack = await receiver();
    await writeFile(path.join(dir, 'hook.txt'), `${slack.url}\n`);
    const file = await experimentIn(dir);
    const out = await cli(['run', file, '--report-dir', 'run'], dir, { [ENV]: hook.url });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('PROMOTED');

    const payloads = hook.requests.map((r) => r.json as Payload);
    expect(payloads.map((p) => `${p.event}${p.decision ? `:${p.step}:${p.decision}` : ''}`)).toEqual(['start', 'decision:1:continue', 'decision:2:promote', 'verdict']);
    for (const p of payloads) expect(validatePayload(p), JSON.stringify(validatePayload.errors)).toBe(true);
    expect(payloads.every((p) => p.kind === 'experiment')).toBe(true);
    expect(payloads.at(-1)).toMatchObject({ outcome: 'promoted', report: path.join('run', 'report.html') });
    expect(slack.requests).toHaveLength(4);
    for (const r of slack.requests) expect(Object.keys(r.json as object)).toEqual(['text', 'blocks']);

    const secrets = [hook.secret, slack.secret, hook.url, slack.url];
    const files = filesUnder(path.join(dir, 'run'));
    expect(files.map(([f]) => f)).toEqual(expect.arrayContaining(['result.json', 'journal.jsonl', 'steps.jsonl', 'report.html', 'summary.md']));
    for (const [name, text] of files) for (const s of secrets) expect(text.includes(s), `${s} in ${name}`).toBe(false);
    for (const s of secrets) expect(`${out.stdout}${out.stderr}`).not.toContain(s);
    // result.json keeps the reference, not the URL.
    const result = JSON.parse(await readFile(path.join(dir, 'run', 'result.json'), 'utf8'));
    expect(result.experiment.spec.notify.map((t: { urlFrom: unknown }) => t.urlFrom)).toEqual([{ env: ENV }, { file: 'hook.txt' }]);
    // Every event was delivered: the end waited for no grace time.
    expect(out.endedAt - result.endedAt).toBeLessThan(1_500);
  }, 60_000);

  it('refuses a missing secret in validate and in run alike (exit 2, at the target\'s urlFrom), before anything starts', async () => {
    const dir = await tempDir();
    const file = await experimentIn(dir);
    const text = await readFile(file, 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes(`{env: ${ENV}}`)) + 1;
    const valid = await cli(['validate', 'x.yaml'], dir, {});
    expect(valid.code).toBe(2);
    // Each problem at the value it is about: all of them at once, as any other problem of the file.
    expect(valid.stdout).toContain(`x.yaml:${line}:22 spec.notify[0].urlFrom.env: environment variable ${ENV} is not set\n    hint: export ${ENV}=<the webhook URL>`);
    expect(valid.stdout).toContain(`x.yaml:${line + 2}:23 spec.notify[1].urlFrom.file: cannot read the URL file hook.txt: file not found`);
    // plan sends nothing: it does not ask for the secrets.
    expect((await cli(['plan', 'x.yaml'], dir, {})).code).toBe(0);
    // A CI that only checks files, without the secrets, can leave that check out.
    expect((await cli(['validate', 'x.yaml', '--no-secret-check'], dir, {})).code).toBe(0);
    const run = await cli(['run', 'x.yaml', '--report-dir', 'run'], dir, {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`x.yaml:${line}:22 spec.notify[0].urlFrom.env: environment variable ${ENV} is not set`);
    expect(readdirSync(dir)).toEqual(['x.yaml']);
    // The runner's own preflight (a library caller that skipped the file check) refuses it the same way.
    const loaded = await loadExperimentFile('x.yaml', { cwd: dir });
    const ctx = createContext({ cwd: dir, stdout: createCaptureStream(), stderr: createCaptureStream(), env: {} });
    const err = await runExperiment(loaded, ctx, { reportDir: 'run' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toBe(`spec.notify[0].urlFrom.env: environment variable ${ENV} is not set`);
    expect(readdirSync(dir)).toEqual(['x.yaml']);
  });

  it('a hanging receiver changes neither the verdict nor the steps nor the restore, and delays the end by the grace time at most', async () => {
    const dir = await tempDir();
    const hook = await receiver([], 'hang');
    await writeFile(path.join(dir, 'hook.txt'), hook.url);
    // promote: false, so the run ends with a restore (which must not wait for a send either).
    const file = await experimentIn(dir, '\n      timeout: 30s', (t) => t.replace('      interval: 2s\n', '      interval: 2s\n      promote: false\n'));
    const out = await cli(['run', file, '--report-dir', 'run'], dir, { [ENV]: hook.url });
    expect(out.code, out.stderr).toBe(0);
    const result = JSON.parse(await readFile(path.join(dir, 'run', 'result.json'), 'utf8'));
    expect(result).toMatchObject({ outcome: 'passed', restored: true });
    // The second step started right after the first was judged: no send was awaited in between.
    expect(result.steps[1].startedAt - result.steps[0].endedAt).toBeLessThan(1_000);
    const restored = result.events.find((e: { message: string }) => e.message.startsWith('restored the original'));
    expect(restored.time - result.steps[1].endedAt).toBeLessThan(1_000);
    // endedAt is set before the reports are written; the rest is the reports and the grace time.
    const tail = out.endedAt - result.endedAt;
    expect(tail).toBeGreaterThanOrEqual(NOTIFY_GRACE_MS - 100);
    expect(tail).toBeLessThan(NOTIFY_GRACE_MS + 2_000);
    const warnings = out.stderr.split('\n').filter((l) => l.startsWith('warning: notification to'));
    expect(warnings).toEqual([
      `warning: notification to <url from $${ENV}> (webhook): 4 of 4 event(s) not delivered (first: start: no answer yet; cancelled at the end of the grace time); stopped waiting after ${NOTIFY_GRACE_MS} ms`,
      `warning: notification to <url from file hook.txt> (slack): 4 of 4 event(s) not delivered (first: start: no answer yet; cancelled at the end of the grace time); stopped waiting after ${NOTIFY_GRACE_MS} ms`,
    ]);
    expect(out.stderr).not.toContain(hook.secret);
  }, 60_000);

  it('Ctrl-C with a hanging receiver: restored and exits 130 within the shorter grace time', async () => {
    const dir = await tempDir();
    const hook = await receiver([], 'hang');
    await writeFile(path.join(dir, 'hook.txt'), hook.url);
    const file = await experimentIn(dir, '\n      timeout: 30s');
    const controller = new AbortController();
    const running = cli(['run', file, '--report-dir', 'run'], dir, { [ENV]: hook.url }, controller.signal);
    // Both targets got the start (and hang on it): the run is under way.
    await hook.waitFor(2, 20_000);
    const abortedAt = Date.now();
    controller.abort(new SignalError('SIGINT'));
    const out = await running;
    expect(out.code, out.stderr).toBe(130);
    const result = JSON.parse(await readFile(path.join(dir, 'run', 'result.json'), 'utf8'));
    expect(result).toMatchObject({ outcome: 'interrupted', restored: true });
    // The restore, the reports, then INTERRUPTED_GRACE_MS for the hanging sends.
    expect(out.endedAt - abortedAt).toBeLessThan(INTERRUPTED_GRACE_MS + 2_500);
  }, 60_000);
});
