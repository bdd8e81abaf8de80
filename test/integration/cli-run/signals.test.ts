/**
 * Process level: the built CLI under real signals, in each phase. Mid-run it restores the mesh and
 * exits 128 + signal number, with result.json saying so; where nothing is changed (start-up,
 * reading input) it exits at once with a one-line notice saying so; a second signal during the
 * restore is acknowledged at once, and nothing of the progress view follows the notice.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../../support/recover-harness.js';

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

/** No stack trace, no internal error: what a user mistake or a signal must never print. */
function expectNoTrace(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toContain('internal error');
}

describe('a signal during start-up', () => {
  // Before node has run any JavaScript a signal can only end the process by the default action
  // (the shell reports that as 130 too); from bin/mesh-exp.js's first line on, mesh-exp answers it.
  it('ends with 130 and at most one line, whenever it lands in the first 40 ms', async () => {
    for (const delay of [0, 5, 10, 20, 30, 40]) {
      const { child, exit } = spawnCli(['validate', 'experiments/canary.yaml'], { env: { MESH_EXP_FAILPOINT: 'after-read=sleep(3000)' } });
      setTimeout(() => child.kill('SIGINT'), delay);
      const { code, signal, stdout, stderr } = await exit;
      expectNoTrace(stderr);
      expect(stdout, `${delay} ms`).toBe('');
      if (signal === null) {
        expect(code, `${delay} ms: ${stderr}`).toBe(130);
        expect(stderr.trim(), `${delay} ms`).toMatch(/^interrupted by SIGINT(?: during start-up)?; nothing was (?:started|changed)$/);
      } else {
        expect(signal, `${delay} ms`).toBe('SIGINT');
      }
    }
  });

  // The window is widened on purpose: a module hook holds the import of dist/ for a second.
  for (const [sig, exitCode] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${sig} while the CLI is still loading: exit ${exitCode}, "nothing was started", nothing run`, async () => {
      const { exit } = spawnCli(['validate', 'experiments/canary.yaml'], {
        nodeArgs: ['--import', './test/support/slow-cli-import.mjs'],
        onStderr: (text, child) => {
          if (text === 'loading the CLI\n') setTimeout(() => child.kill(sig), 100);
        },
      });
      const { code, signal, stdout, stderr } = await exit;
      expect({ code, signal }, stderr).toEqual({ code: exitCode, signal: null });
      expect(stderr).toBe(`loading the CLI\ninterrupted by ${sig} during start-up; nothing was started\n`);
      expect(stdout).toBe('');
    });
  }
});

describe('a signal while validate reads its input', () => {
  for (const [sig, exitCode] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${sig}: exits at once, ${exitCode}, saying nothing was changed (no mesh to restore)`, async () => {
      const started = Date.now();
      const { exit } = spawnCli(['validate', 'experiments/canary.yaml'], {
        // The failpoint holds validate for 5 s after reading the file: the signal lands in it.
        env: { MESH_EXP_FAILPOINT: 'after-read=sleep(5000)' },
        onStderr: (text, child) => {
          if (text.endsWith('failpoint after-read:1: sleeping 5000 ms\n')) child.kill(sig);
        },
      });
      const { code, stdout, stderr } = await exit;
      expect(code, stderr).toBe(exitCode);
      expect(stderr).toContain(`\ninterrupted by ${sig}; nothing was changed\n`);
      expect(stderr).not.toContain('restor');
      expect(stdout).toBe('');
      expectNoTrace(stderr);
      expect(Date.now() - started).toBeLessThan(4000);
    });
  }
});

describe('a second signal during the restore', () => {
  it('is acknowledged at once, before "restored"; nothing of the progress view follows the first notice', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-signal-'));
    let first = false;
    let second = false;
    const { exit } = spawnCli(['run', 'experiments/canary.yaml', '--report-dir', dir], {
      // The restore waits 1.5 s after journaling restore-start: the second signal lands in it.
      env: { MESH_EXP_FAILPOINT: 'after-restore-start=sleep(1500)' },
      onStderr: (text, child) => {
        if (!first && text.includes('step 1/3: applied')) {
          first = true;
          setTimeout(() => child.kill('SIGINT'), 1200);
        }
        if (!second && text.includes('failpoint after-restore-start:1: sleeping')) {
          second = true;
          child.kill('SIGINT');
        }
      },
    });
    const { code, stderr } = await exit;
    expect(code, stderr).toBe(130);
    const lines = stderr.split('\n');
    const notice = lines.indexOf('received SIGINT: restoring the mesh before exiting (Ctrl-C again will not skip it)');
    const again = lines.indexOf('received SIGINT again: still restoring the mesh, please wait');
    const restored = lines.findIndex((l) => /^restored the original VirtualService \S+ \(interrupted\)$/.test(l));
    expect(notice, stderr).toBeGreaterThan(0);
    expect(again, stderr).toBeGreaterThan(notice);
    expect(restored, stderr).toBeGreaterThan(again);
    expect(lines.slice(notice).filter((l) => l.startsWith('[step')), stderr).toEqual([]);
    expectNoTrace(stderr);
  });
});
