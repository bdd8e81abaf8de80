/** Runs a command under GNU time without a shell: wall time (ours) and peak RSS (time's %M). */
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';

/** One run of one command. */
export interface Sample {
  /** Wall time, spawn to exit, ms. */
  wallMs: number;
  /** Peak resident set, KiB. */
  maxRssKiB: number;
}

/**
 * Runs `argv` once under /usr/bin/time, its output discarded; rejects when it exits with a code
 * not in `okCodes` (a run that failed may have stopped early, so its time means nothing).
 */
export function measureOnce(argv: readonly string[], cwd: string, scratch: string, okCodes: readonly number[]): Promise<Sample> {
  const timeFile = path.join(scratch, 'time.out');
  return new Promise((resolve, reject) => {
    const started = performance.now();
    execFile('/usr/bin/time', ['-f', '%x %M', '-o', timeFile, ...argv], { cwd, maxBuffer: 256 << 20 }, (_err, _stdout, stderr) => {
      const wallMs = performance.now() - started;
      readFile(timeFile, 'utf8')
        .then(async (text) => {
          await rm(timeFile, { force: true });
          // GNU time writes "Command exited with non-zero status N" first when it did; the figures are last.
          const [code, rss] = text.trim().split('\n').at(-1)!.split(' ').map(Number);
          if (!okCodes.includes(code!)) throw new Error(`${argv.join(' ')} exited ${code}: ${stderr.slice(-500)}`);
          resolve({ wallMs, maxRssKiB: rss! });
        })
        .catch(reject);
    });
  });
}
