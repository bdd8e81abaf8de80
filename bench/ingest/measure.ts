/** Runs one shell command under GNU time: its wall time (ours, ms) and peak RSS (time's %M, KiB). */
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';

/** One measured command. */
export interface Measured {
  /** The command as run (for the report). */
  command: string;
  /** Wall time from spawn to exit, ms. */
  wallMs: number;
  /** Peak RSS of the largest process of the command, KiB. */
  maxRssKiB: number;
  /** What it printed on stdout. */
  stdout: string;
}

/** Runs `sh -c command` under /usr/bin/time; throws with its stderr when it fails. */
export function measure(command: string, dir: string, cwd: string): Promise<Measured> {
  const timeFile = path.join(dir, 'time.out');
  return new Promise((resolve, reject) => {
    const started = performance.now();
    execFile('/usr/bin/time', ['-f', '%M', '-o', timeFile, 'sh', '-c', command], { cwd, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const wallMs = performance.now() - started;
      if (err) return reject(new Error(`${command} failed: ${stderr}`));
      readFile(timeFile, 'utf8')
        .then(async (text) => {
          await rm(timeFile, { force: true });
          resolve({ command, wallMs, maxRssKiB: Number(text.trim().split('\n').at(-1)), stdout });
        })
        .catch(reject);
    });
  });
}
