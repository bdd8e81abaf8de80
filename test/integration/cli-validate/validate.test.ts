/**
 * `mesh-exp validate` end to end, in-process: runCli with capture streams, real fixture files.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { createCaptureStream, createContext } from '../../../src/context.js';
import type { Problem } from '../../../src/errors.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const VALID = 'test/fixtures/valid/shift-steps/experiment.yaml';
const VALID_2 = 'test/fixtures/valid/fault-jason/experiment.yaml';
const MANY = 'test/fixtures/invalid/many-problems/experiment.yaml';
const SUBSET = 'test/fixtures/invalid/subset-missing/experiment.yaml';

/** Runs the CLI in the repository root and returns its exit code and output. */
async function cli(argv: string[], options: { tty?: boolean; env?: Record<string, string> } = {}) {
  const stdout = createCaptureStream(options.tty ?? false);
  const stderr = createCaptureStream(options.tty ?? false);
  const ctx = createContext({ stdout, stderr, env: options.env ?? {}, cwd: repoRoot });
  const code = await runCli(argv, ctx);
  return { code, out: stdout.text(), err: stderr.text() };
}

describe('mesh-exp validate', () => {
  it('prints OK and exits 0 for valid files', async () => {
    const { code, out, err } = await cli(['validate', VALID, VALID_2]);
    expect(code).toBe(0);
    expect(out).toBe(`OK ${VALID}\nOK ${VALID_2}\n2 files valid\n`);
    expect(err).toBe('');
  });

  it('prints every problem of an invalid file as file:line:col path: message, then a count, and exits 2', async () => {
    const { code, out } = await cli(['validate', MANY]);
    expect(code).toBe(2);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `${MANY}:4:9 metadata.name: expected a lowercase name (a-z, 0-9, "-", "."), e.g. "reviews-canary", got the string "Reviews Canary"`,
    );
    expect(lines).toContain(`${MANY}:14:7 spec.traffic.shift.stepWieght: unknown field "stepWieght"`);
    expect(lines).toContain('    hint: did you mean "stepWeight"?');
    const located = lines.filter((l) => l.startsWith(`${MANY}:`));
    expect(located).toHaveLength(7);
    expect(lines.at(-1)).toBe('1 of 1 file invalid (7 problems)');
  });

  it('reports all files, valid and invalid, in command-line order', async () => {
    const { code, out } = await cli(['validate', SUBSET, VALID, 'no/such/file.yaml']);
    expect(code).toBe(2);
    const lines = out.trimEnd().split('\n');
    expect(lines).toEqual([
      `${SUBSET}:10:13 spec.target.canary: subset "v4" is not defined in DestinationRule reviews for host reviews`,
      '    hint: defined subsets: "v1", "v2", "v3" (test/fixtures/valid/_istio/destination-rules.yaml:2)',
      `OK ${VALID}`,
      'no/such/file.yaml:1:1 file not found',
      '    hint: check the path and the current directory',
      '2 of 3 files invalid (2 problems)',
    ]);
  });

  it('--output json prints one {file, ok, problems} entry per file', async () => {
    const { code, out } = await cli(['validate', '--output', 'json', VALID, SUBSET]);
    expect(code).toBe(2);
    const reports = JSON.parse(out) as { file: string; ok: boolean; problems: Problem[] }[];
    expect(reports.map((r) => [r.file, r.ok, r.problems.length])).toEqual([
      [VALID, true, 0],
      [SUBSET, false, 1],
    ]);
    expect(reports[1]!.problems[0]).toEqual({
      file: SUBSET,
      line: 10,
      col: 13,
      path: 'spec.target.canary',
      message: 'subset "v4" is not defined in DestinationRule reviews for host reviews',
      hint: 'defined subsets: "v1", "v2", "v3" (test/fixtures/valid/_istio/destination-rules.yaml:2)',
    });
  });

  it('colours only on a TTY without NO_COLOR, and the text stays the same', async () => {
    const plain = await cli(['validate', SUBSET, VALID], { tty: true, env: { NO_COLOR: '1' } });
    expect(plain.out).not.toMatch(/\u001b\[/);
    const piped = await cli(['validate', SUBSET, VALID]);
    expect(piped.out).toBe(plain.out);
    const coloured = await cli(['validate', SUBSET, VALID], { tty: true });
    expect(coloured.out).toMatch(/\u001b\[32mOK\u001b\[0m/);
    expect(coloured.out).toContain(`\u001b[1m${SUBSET}:10:13\u001b[0m spec.target.canary`);
    expect(coloured.out.replace(/\u001b\[\d+m/g, '')).toBe(plain.out);
  });

  it('--help shows examples; a bad --output or no file is a usage error (exit 2)', async () => {
    const help = await cli(['validate', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Examples:');
    expect(help.out).toContain('mesh-exp validate experiments/canary.yaml');
    const bad = await cli(['validate', '--output', 'xml', VALID]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/Allowed choices are text, json/);
    const none = await cli(['validate']);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/missing required argument 'file'/);
  });
});
