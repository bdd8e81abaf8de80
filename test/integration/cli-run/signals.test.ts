/**
 * Process level: the built CLI, stopped by a real SIGINT/SIGTERM mid-run, restores the mesh and
 * exits 128 + signal number, with result.json saying so.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

beforeAll(() => {
  // Other engineers' files may be mid-edit and fail to typecheck; tsc still emits JavaScript, and
  // what this test needs is the emitted CLI, so a type error elsewhere must not fail it here.
  const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: repoRoot, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } });
  if (!existsSync(path.join(repoRoot, 'dist/cli/main.js'))) {
    throw new Error(`build produced no dist/cli/main.js:\n${build.stdout}\n${build.stderr}`);
  }
}, 180_000);

/** Runs the CLI, sends `signal` ~1.5 s after the first step was applied, resolves with the exit code. */
function runAndSignal(signal: 'SIGINT' | 'SIGTERM', reportDir: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/mesh-exp.js', 'run', 'experiments/canary.yaml', '--report-dir', reportDir], {
      cwd: repoRoot,
      env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // Wait for the first traffic change (not a fixed delay: a busy machine may start slowly).
      if (!sent && stderr.includes('step 1/3: applied')) {
        sent = true;
        setTimeout(() => child.kill(signal), 1500);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('mesh-exp run under real signals', () => {
  for (const [signal, exitCode] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} mid-step → restore, exit ${exitCode}`, async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-signal-'));
      const { code, stderr } = await runAndSignal(signal, dir);
      expect(code, stderr).toBe(exitCode);
      expect(stderr).toContain(`received ${signal}`);
      const result = JSON.parse(await readFile(path.join(dir, 'result.json'), 'utf8'));
      expect(result).toMatchObject({ outcome: 'interrupted', restored: true, exitCode });
      expect(result.summary).toContain(`Interrupted by ${signal}`);
      const journal = (await readFile(path.join(dir, 'journal.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l).type);
      expect(journal.slice(-3)).toEqual(['restore-start', 'restore-done', 'end']);
    });
  }
});

describe('mesh-exp writing to a pipe its reader closed', () => {
  // `mesh-exp --help | head -1`: the help is written in two parts (commands, then exit codes), and
  // the reader may be gone before the second. That is the reader's choice, not a crash.
  it('ends quietly with its own exit code (no EPIPE stack trace)', async () => {
    for (let i = 0; i < 3; i++) {
      const child = spawn(process.execPath, ['bin/mesh-exp.js', '--help'], { cwd: repoRoot, env: { PATH: process.env['PATH'] ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.once('data', () => child.stdout.destroy());
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(stderr).not.toContain('EPIPE');
      expect(code, stderr).toBe(0);
    }
  });
});
