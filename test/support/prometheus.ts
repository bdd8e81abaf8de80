/**
 * Starts a real Prometheus (the Debian package's binary) on loopback with a temporary data dir,
 * scraping the given targets every second, and waits until it is ready and every target is up.
 * Tests that use it call {@link requirePrometheus} first: a missing binary skips loudly outside CI
 * and fails under CI=true.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';
import { requireTool } from './require-tool.js';

export { freePort };

/** The binary, or undefined (after a loud notice) when it is absent outside CI. */
export function requirePrometheus(): string | undefined {
  return requireTool('prometheus', 'the Prometheus integration tests (apt-get install prometheus)');
}

/** A running Prometheus. */
export interface RunningPrometheus {
  /** Base URL, e.g. http://127.0.0.1:41234. */
  url: string;
  /** Waits until every scrape target reports up == 1 (or throws after `timeoutMs`). */
  waitForTargets(timeoutMs?: number): Promise<void>;
  /** Stops it and removes its data dir. */
  stop(): Promise<void>;
}

/** Starts Prometheus scraping `targets` ("127.0.0.1:PORT") at `/stats/prometheus` every second. */
export async function startPrometheus(binary: string, targets: string[]): Promise<RunningPrometheus> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-prom-'));
  const port = await freePort();
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    '  - job_name: mesh',
    '    metrics_path: /stats/prometheus',
    '    static_configs:',
    `      - targets: [${targets.map((t) => JSON.stringify(t)).join(', ')}]`,
    '',
  ].join('\n');
  await writeFile(path.join(dir, 'prometheus.yml'), config);
  let output = '';
  const child: ChildProcess = spawn(
    binary,
    [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  };
  const poll = async (what: string, timeoutMs: number, ok: () => Promise<boolean>) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${output.slice(-2000)}`);
      if (await ok().catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`prometheus: ${what} within ${timeoutMs} ms; its output: ${output.slice(-2000)}`);
  };
  const upSeries = async () =>
    ((await (await fetch(`${url}/api/v1/query?query=${encodeURIComponent('up{job="mesh"}')}`)).json()) as { data: { result: Array<{ value: [number, string] }> } }).data.result;
  try {
    await poll('not ready', 30_000, async () => (await fetch(`${url}/-/ready`)).ok);
    // Prometheus hands discovered targets to the scrapers at most every 5 s, so the first scrape
    // comes seconds after "ready". Wait for it (up is recorded even for a target that is down), so
    // a test's first window is scraped like any other.
    await poll('no first scrape', 20_000, async () => (await upSeries()).length === targets.length);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url,
    stop,
    waitForTargets: (timeoutMs = 20_000) =>
      poll('targets not all up', timeoutMs, async () => {
        const up = await upSeries();
        return up.length === targets.length && up.every((r) => r.value[1] === '1');
      }),
  };
}
