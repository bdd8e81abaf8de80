/** Builds and starts the Go target server (`server/main.go`) pinned to its own CPU. */
import { join } from 'node:path';
import { runToEnd, type ProcessGroup, type Started } from '../proxy/process-group.js';

/** The server's answer to /__schedule (see server/main.go). */
export interface ServerSchedule {
  /** Arrivals recorded. */
  count: number;
  /** Connections the engine opened. */
  connections: number;
  /** First to last arrival, ms. */
  spanMs: number;
  /** Arrivals after the warm-up, which the figures below describe. */
  measured: number;
  /** Median lateness behind the ideal schedule, ms. */
  behindP50Ms: number;
  /** 99th percentile of lateness, ms. */
  behindP99Ms: number;
  /** Largest lateness, ms. */
  behindMaxMs: number;
  /** Share of arrivals more than 1 ms behind. */
  shareOver1Ms: number;
}

/** A running target server. */
export interface TargetServer {
  /** Base URL, no trailing slash. */
  url: string;
  /** Forgets every arrival. */
  reset(): Promise<void>;
  /** The arrivals since the last reset against the schedule of `rate`. */
  schedule(rate: number, warmupMs: number): Promise<ServerSchedule>;
  /** The process. */
  started: Started;
}

/** Compiles the server with `go build` into `dir` and starts it with the `pin` prefix. */
export async function startTargetServer(group: ProcessGroup, repoRoot: string, dir: string, go: string, pin: string[]): Promise<TargetServer> {
  const bin = join(dir, 'load-target');
  await runToEnd(group, [go, 'build', '-o', bin, '.'], { name: 'go build', cwd: join(repoRoot, 'bench/load/server') });
  const started = group.start([...pin, bin], { name: 'target', captureStdout: true });
  const deadline = Date.now() + 10_000;
  while (!/^\d+\n/.test(started.stdout())) {
    if (Date.now() > deadline || started.child.exitCode !== null) throw new Error('the target server did not start');
    await new Promise((r) => setTimeout(r, 20));
  }
  const url = `http://127.0.0.1:${Number(started.stdout().split('\n')[0])}`;
  const get = async (path: string): Promise<Response> => {
    const res = await fetch(`${url}${path}`);
    if (!res.ok && res.status !== 204) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res;
  };
  return {
    url,
    started,
    reset: async () => void (await get('/__reset')),
    schedule: async (rate, warmupMs) => (await (await get(`/__schedule?rate=${rate}&warmupMs=${warmupMs}`)).json()) as ServerSchedule,
  };
}
