/**
 * The proxy benchmark: the local mesh vs HAProxy doing the same 90/10 split over the SAME backend
 * processes, measured with the same tools in one run. CPU 0 runs the proxy under test (mesh or
 * HAProxy); CPU 1 runs wrk / the generator (this process) and the backends.
 */
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_HOST, createBenchMeshOptions, WEIGHTS } from './bench-manifests.js';
import { buildBackend, readRegistry, waitForBackends } from './backend.js';
import { loadLatencyGenerator, runFixedRate, type FixedRateResult, type LatencyGeneratorName } from './fixed-rate.js';
import { poolRounds, roundOrder } from './latency-rounds.js';
import { startHaproxy } from './haproxy.js';
import { collectMachineInfo, type MachineInfo } from './machine-info.js';
import { resolveMeshModule, startMeshProcess } from './mesh-process.js';
import { createProcessGroup, type Killer } from './process-group.js';
import { checkSplit, requestsByVersion, type SplitCheck } from './split-check.js';
import { findBenchTools } from './tools.js';
import { runWrk, type WrkResult } from './wrk.js';

/** The four things measured. */
export const TARGETS = ['direct', 'mesh', 'haproxy-1t', 'haproxy-default'] as const;
/** One of {@link TARGETS}. */
export type Target = (typeof TARGETS)[number];

/** Options for {@link runProxyBench}. */
export interface ProxyBenchOptions {
  /** Repository root. */
  repoRoot: string;
  /** 3 s runs for a smoke check instead of 10 s. */
  quick: boolean;
  /** Where the mesh is loaded from. @default "dist" */
  meshFrom?: 'dist' | 'src';
  /** Load createLocalMesh from this module instead (e.g. another build); overrides `meshFrom`. */
  meshModule?: string;
  /** Profile the mesh process (`node --cpu-prof`) into this directory; read it with `profile-top.ts`. */
  meshCpuProfileDir?: string;
  /** Generator of the fixed-rate latency rounds. @default "vegeta" */
  latencyGenerator?: LatencyGeneratorName;
  /** Interleaved fixed-rate rounds. @default 24 (3 with `quick`) */
  rounds?: number;
  /** Environment for children. */
  env: Record<string, string | undefined>;
  /** process.kill. */
  kill: Killer;
  /** Node binary (process.execPath). */
  nodePath: string;
  /** Node version (process.version). */
  nodeVersion: string;
  /** Progress lines. */
  log: (msg: string) => void;
  /** Aborts the run (cleanup still happens). */
  signal: AbortSignal;
}

/** Settings used, for the report. */
export interface ProxyBenchSettings {
  /** wrk connections. */
  connections: number;
  /** wrk measured duration, s. */
  wrkSeconds: number;
  /** wrk warm-up before each measurement, s. */
  warmupSeconds: number;
  /** Fixed arrival rate, req/s. */
  rate: number;
  /** Fixed-rate measured duration of one round, s. */
  rateSeconds: number;
  /** Interleaved fixed-rate rounds (every target once per round, order rotated). */
  rounds: number;
  /** CPU the proxies are pinned to. */
  proxyCpu: number;
  /** CPU wrk, the generator and the backends are pinned to. */
  loadCpu: number;
  /** Threads HAProxy picks by default when allowed every CPU. */
  haproxyDefaultThreads: number;
}

/** Everything one run measured. */
export interface ProxyBenchResult {
  /** Quick (smoke) run. */
  quick: boolean;
  /** ISO start time. */
  startedAt: string;
  /** Machine and versions. */
  machine: MachineInfo;
  /** Settings. */
  settings: ProxyBenchSettings;
  /** Which load generator produced the fixed-rate numbers. */
  generator: string;
  /** Where the mesh code came from: "dist", "src" or a module path. */
  meshFrom: string;
  /** Saturation throughput per target. */
  throughput: Partial<Record<Target, WrkResult>>;
  /** Fixed-rate latency per target, pooled over the rounds. */
  latency: Partial<Record<Target, FixedRateResult>>;
  /** Fixed-rate latency per target per round (round order), raw latencies rounded to the µs (the bootstrap resamples them). */
  latencyRounds: Partial<Record<Target, FixedRateResult[]>>;
  /** 90/10 check per proxy, from the fixed-rate samples' x-version. */
  splits: Partial<Record<Target, SplitCheck>>;
  /** The mesh's own istio_requests_total by destination_version over the whole run. */
  meshMetricsSplit: SplitCheck | undefined;
  /** Warnings the mesh reported about the manifests. */
  meshWarnings: string[];
  /** 1-minute load average when the measurements ended (compare with `machine.loadavg`). */
  loadavgEnd: number;
}

/** Runs the whole benchmark; every process it starts is stopped before it returns or throws. */
export async function runProxyBench(o: ProxyBenchOptions): Promise<ProxyBenchResult> {
  const group = createProcessGroup({ env: o.env, kill: o.kill, onOutput: (name, line) => o.log(`  [${name}] ${line}`) });
  const onAbort = () => void group.stopAll(500);
  o.signal.addEventListener('abort', onAbort);
  const workDir = await mkdtemp(join(tmpdir(), 'mesh-exp-bench-proxy-'));
  const registryDir = join(workDir, 'registry');
  try {
    const check = () => {
      if (o.signal.aborted) throw new Error('aborted');
    };
    const tools = await findBenchTools(o.env);
    const machine = await collectMachineInfo({ ...tools, node: o.nodePath, nodeVersion: o.nodeVersion }, o.env);
    const proxyCpu = 0;
    const loadCpu = machine.nproc > 1 ? 1 : 0;
    const pin = (cpus: string) => [tools.taskset, '-c', cpus];
    const settings: ProxyBenchSettings = {
      connections: 64,
      wrkSeconds: o.quick ? 3 : 10,
      warmupSeconds: o.quick ? 1 : 3,
      rate: 1000,
      rateSeconds: o.quick ? 2 : 3,
      rounds: o.rounds ?? (o.quick ? 3 : 24),
      proxyCpu,
      loadCpu,
      haproxyDefaultThreads: machine.nproc,
    };
    const meshFrom = o.meshFrom ?? 'dist';

    o.log('building the Go backend into .tools/bench/');
    const backendBin = await buildBackend(group, o.repoRoot, tools.go);
    const meshModule = o.meshModule ?? await resolveMeshModule({ group, repoRoot: o.repoRoot, nodePath: o.nodePath, from: meshFrom, log: o.log });
    check();

    await mkdir(registryDir);
    o.log(`starting the local mesh on CPU ${proxyCpu}; it starts backends v1 and v2 on CPU ${loadCpu}`);
    const mesh = await startMeshProcess({
      group,
      repoRoot: o.repoRoot,
      nodePath: o.nodePath,
      pinPrefix: pin(String(proxyCpu)),
      module: meshModule,
      ...(o.meshCpuProfileDir === undefined ? {} : { cpuProfileDir: o.meshCpuProfileDir }),
      options: createBenchMeshOptions({ pinPrefix: pin(String(loadCpu)), backendBin, registryDir, cwd: o.repoRoot }),
      workDir,
    });
    const backends = await waitForBackends(registryDir, ['v1', 'v2'], 30_000);
    const servers = (['v1', 'v2'] as const).map((v) => ({ name: v, port: backends.get(v)!.port, weight: WEIGHTS[v] }));
    o.log(`mesh at ${mesh.url}; backends v1 :${servers[0]!.port}, v2 :${servers[1]!.port}`);

    const { generator, description } = await loadLatencyGenerator(o.repoRoot, o.latencyGenerator ?? 'vegeta', o.env);
    const result: ProxyBenchResult = {
      quick: o.quick,
      startedAt: new Date().toISOString(),
      machine,
      settings,
      generator: description,
      meshFrom: o.meshModule ?? meshFrom,
      throughput: {},
      latency: {},
      latencyRounds: {},
      splits: {},
      meshMetricsSplit: undefined,
      meshWarnings: mesh.warnings,
      loadavgEnd: Number.NaN,
    };

    const throughput = async (target: Target, url: string) => {
      const wrk = (durationS: number) =>
        runWrk({ group, wrkPath: tools.wrk, pinPrefix: pin(String(loadCpu)), url, host: BENCH_HOST, durationS, connections: settings.connections });
      o.log(`${target}: wrk warm-up ${settings.warmupSeconds} s, then ${settings.wrkSeconds} s at saturation`);
      await wrk(settings.warmupSeconds);
      check();
      const t = await wrk(settings.wrkSeconds);
      result.throughput[target] = t;
      o.log(`${target}: ${t.rps.toFixed(0)} req/s, p50 ${t.p50Ms.toFixed(2)} ms, p99 ${t.p99Ms.toFixed(2)} ms`);
      check();
    };

    // Every proxy runs for the whole benchmark (idle ones cost nothing), so the latency rounds can
    // interleave targets: a noisy phase of the machine then hits all of them, not one.
    const urls: Record<Target, string> = { direct: `http://127.0.0.1:${servers[0]!.port}`, mesh: mesh.url, 'haproxy-1t': '', 'haproxy-default': '' };
    for (const [target, nbthread, cpus] of [
      ['haproxy-1t', 1, String(proxyCpu)],
      ['haproxy-default', undefined, `0-${machine.nproc - 1}`],
    ] as const) {
      o.log(`starting HAProxy (${nbthread === undefined ? 'default threads' : `nbthread ${nbthread}`}) on CPU ${cpus}`);
      const hap = await startHaproxy({ group, haproxyPath: tools.haproxy, pinPrefix: pin(cpus), workDir, label: target, servers, nbthread });
      urls[target] = hap.url;
    }
    for (const target of TARGETS) await throughput(target, urls[target]);

    const fixed = (url: string, ms: number) => runFixedRate(generator, { url, host: BENCH_HOST, rate: settings.rate, durationMs: ms, signal: o.signal });
    const rounds: Partial<Record<Target, FixedRateResult[]>> = {};
    for (let r = 0; r < settings.rounds; r++) {
      for (const target of roundOrder(TARGETS, r)) {
        await fixed(urls[target], 1000); // warm-up: connections, JIT
        check();
        const l = await fixed(urls[target], settings.rateSeconds * 1000);
        (rounds[target] ??= []).push(l);
        o.log(`round ${r + 1}/${settings.rounds} ${target}: ${settings.rate} req/s for ${settings.rateSeconds} s: p50 ${l.p50Ms.toFixed(3)} ms, p99 ${l.p99Ms.toFixed(3)} ms, ${l.bad} bad of ${l.scheduled}`);
        check();
      }
    }
    for (const target of TARGETS) {
      const rs = rounds[target] ?? [];
      const pooled = poolRounds(rs);
      result.latency[target] = { ...pooled, latencies: [] };
      result.latencyRounds[target] = rs.map((x) => ({ ...x, latencies: x.latencies.map((v) => Math.round(v * 1000) / 1000) }));
      if (target !== 'direct') result.splits[target] = checkSplit(pooled.versions, WEIGHTS.v2 / 100);
    }
    const metrics = await fetch(`${mesh.adminUrl}/stats/prometheus`).then((res) => res.text()).catch(() => '');
    const byVersion = requestsByVersion(metrics);
    result.meshMetricsSplit = Object.keys(byVersion).length > 0 ? checkSplit(byVersion, WEIGHTS.v2 / 100) : undefined;
    result.loadavgEnd = loadavg()[0] ?? Number.NaN;
    return result;
  } finally {
    o.signal.removeEventListener('abort', onAbort);
    await group.stopAll();
    // The mesh should have stopped its backends; make sure, by pid, in case it crashed.
    for (const b of await readRegistry(registryDir).catch(() => [])) group.killPid(b.pid);
    await rm(workDir, { recursive: true, force: true });
  }
}
