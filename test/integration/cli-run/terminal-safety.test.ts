/**
 * No byte of an experiment's text can drive the terminal: validate, plan and run (in-process, one
 * 1 s step on the embedded mesh) of experiments whose name, label, SLO name and header value hold
 * `\e[2J\e]0;pwned\a` and U+202E write neither ESC, BEL nor a bidi override to stdout or stderr,
 * show them as escapes instead, and keep `--output json` the exact data.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkExperimentFile } from '../../../src/experiment/validate.js';
import { REPO_ROOT, runCliInProcess } from '../../support/cli.js';

const INVALID = 'test/fixtures/terminal/hostile.yaml'; // metadata.name is not a Kubernetes name
const RUNS = 'test/fixtures/terminal/hostile-run.yaml'; // valid; its SLO cannot pass
// ESC, BEL, C1 and the bidi overrides and isolates: none may reach the terminal.
const RAW = /[\u001b\u0007\u0080-\u009f\u202a-\u202e\u2066-\u2069]/;
const SHOWN = '\\u001b[2J\\u001b]0;pwned\\u0007\\u202e';

function expectSafe(out: { stdout: string; stderr: string }): void {
  expect(out.stdout, out.stdout).not.toMatch(RAW);
  expect(out.stderr, out.stderr).not.toMatch(RAW);
}

describe('hostile text in an experiment', () => {
  it('validate: the problem quoting the name shows it escaped', async () => {
    const out = await runCliInProcess(['validate', INVALID]);
    expect(out.code).toBe(2);
    expectSafe(out);
    expect(out.stdout).toContain(`got the string "evil${SHOWN}"`);
  });

  it('validate --output json: the same data as the checks found, byte for byte once parsed', async () => {
    const out = await runCliInProcess(['validate', INVALID, '--output', 'json']);
    expectSafe(out);
    const { problems } = await checkExperimentFile(INVALID, { cwd: REPO_ROOT });
    expect(JSON.parse(out.stdout)).toEqual([{ file: INVALID, ok: false, problems }]);
  });

  it('plan and run refuse the invalid file without letting its text through', async () => {
    for (const argv of [['plan', INVALID], ['run', INVALID, '--report-dir', await mkdtemp(path.join(tmpdir(), 'mesh-exp-tty-'))]]) {
      const out = await runCliInProcess(argv);
      expect(out.code, argv[0]).toBe(2);
      expectSafe(out);
      expect(out.stderr, argv[0]).toContain(SHOWN);
    }
  });

  it('run: events, progress and verdict name the SLO escaped', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-tty-'));
    const out = await runCliInProcess(['run', RUNS, '--report-dir', dir]);
    expect(out.code, out.stderr).toBe(1);
    expectSafe(out);
    expect(out.stdout).toContain(`p99${SHOWN}`);
  });
});
