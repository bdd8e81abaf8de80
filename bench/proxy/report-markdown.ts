/** Renders a proxy benchmark result as the `## Proxy` section of BENCHMARKS.md. */
import type { ProxyBenchResult, Target } from './proxy-bench.js';
import { intervalVerdict, type Interval } from './added-bootstrap.js';
import { belowBound, judgeAdded, STALL_FACTOR } from './added-verdicts.js';
import { pairedAdded, type PairedSpread } from './latency-rounds.js';
import type { MedianInterval } from './median-interval.js';
import type { SplitCheck } from './split-check.js';
import { reproduceLines } from './benchmarks-file.js';

const LABEL: Record<Target, string> = {
  direct: 'direct to backend v1 (no proxy)',
  mesh: 'mesh-exp local mesh (Node, 1 event loop)',
  'haproxy-1t': 'HAProxy, nbthread 1',
  'haproxy-default': 'HAProxy, default threads',
};

/** Throughput target: mesh ≥ this share of single-threaded HAProxy (issue 22: at least 1.0×). */
export const THROUGHPUT_TARGET = 1.0;
/** Added-latency target at 1000 req/s: mesh p99 − direct p99 below this, ms. */
export const ADDED_P99_TARGET_MS = 1;
/** Relative added-latency target at 1000 req/s: mesh added p99 at most this multiple of HAProxy 1t's (issue 22). */
export const ADDED_P99_VS_HAPROXY = 2;

const f = (x: number | undefined, digits = 2) => (x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(digits));
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? 'n/a' : `${(a / b).toFixed(2)}×`);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const verdict = (ok: boolean | undefined) => (ok === undefined ? 'n/a' : ok ? '✅ met' : '❌ missed');

const VERDICT_WORDS = { met: '✅ met', missed: '❌ missed', inconclusive: '⚠️ inconclusive: the interval straddles the bound; rerun on a quiet machine or with more --rounds' } as const;
const medianCell = (m: MedianInterval) => `${f(m.median, 3)} [${f(m.low, 3)}, ${f(m.high, 3)}]`;
const intervalCell = (i: Interval) => `${f(i.estimate, 3)} [${f(i.low, 3)}, ${f(i.high, 3)}]`;

function spreadCell(x: PairedSpread | undefined): string {
  return x === undefined ? 'n/a' : `${f(x.median, 3)} (${f(x.min, 3)} … ${f(x.max, 3)})`;
}

function splitCell(s: SplitCheck | undefined): string {
  if (!s) return '—';
  return `${pct(s.v2Share)} of ${s.n} (±${pct(s.bound)}) ${s.ok ? '✅' : '❌'}`;
}

/** The markdown section, starting with `## Proxy`. */
export function renderProxySection(r: ProxyBenchResult, command: string): string {
  const s = r.settings;
  const t = r.throughput;
  const l = r.latency;
  const hap1 = t['haproxy-1t']?.rps;
  const direct = l.direct;
  const added = (x: Target, p: 'p50Ms' | 'p99Ms') => (l[x] && direct ? l[x]![p] - direct[p] : undefined);
  const meshRatio = t.mesh && hap1 ? t.mesh.rps / hap1 : undefined;
  const rounds = r.latencyRounds;
  const paired = (x: Target, p: 'p50Ms' | 'p99Ms') => pairedAdded(rounds[x] ?? [], rounds.direct ?? [], p);
  const targets = ['direct', 'mesh', 'haproxy-1t', 'haproxy-default'] as const;
  const m = r.machine;
  const judged = judgeAdded(rounds.direct ?? [], rounds.mesh ?? [], rounds['haproxy-1t'] ?? [], ADDED_P99_VS_HAPROXY);
  const boot = judged?.pooled;
  const lines = [
    '## Proxy',
    '',
    ...(r.quick ? ['> **Quick smoke run (3 s windows): indicative only, not a measurement.**', ''] : []),
    `The local mesh doing a 90/10 weighted split (VirtualService weights 90/10 over subsets v1/v2) against HAProxy configured for the same split over the **same two backend processes**, measured with the same tools in one run (${r.startedAt}).`,
    '',
    '### Machine',
    '',
    `- ${m.nproc} CPUs (nproc), ${m.cpuModel}; load average ${m.loadavg.map((x) => x.toFixed(2)).join(' / ')} (1/5/15 min) before the run and ${f(r.loadavgEnd)} (1 min) at its end; the benchmark itself keeps about 2 CPUs busy, so a start value well above 0 means other work shared the machine`,
    `- node ${m.versions.node}; ${m.versions.haproxy}; ${m.versions.wrk.replace(/ Copyright.*$/, '')}; ${m.versions.go}`,
    ...(r.meshWarnings.length ? [`- the mesh warned: ${r.meshWarnings.join('; ')}`] : []),
    '',
    '### Results',
    '',
    `Throughput at saturation: \`wrk -t1 -c${s.connections} -d${s.wrkSeconds}s\`, keep-alive, after a ${s.warmupSeconds} s warm-up (latency here is closed-model, under saturation).`,
    '',
    '| target | req/s | vs HAProxy 1t | p50 ms | p99 ms | non-2xx | socket errors |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...targets.map((x) => {
      const w = t[x];
      return `| ${LABEL[x]} | ${f(w?.rps, 0)} | ${x === 'direct' ? '—' : ratio(w?.rps, hap1)} | ${f(w?.p50Ms)} | ${f(w?.p99Ms)} | ${w?.non2xx ?? 'n/a'} | ${w?.socketErrors ?? 'n/a'} |`;
    }),
    '',
    `Latency at a fixed ${s.rate} req/s (open model; generator: ${r.generator}), in ${s.rounds} interleaved rounds: each round measures every target for ${s.rateSeconds} s after a 1 s warm-up, the order rotated each round, so a noisy phase of the machine hits every target alike. p50/p99 are pooled over all rounds; "added" is the per-round paired difference proxy − direct: median (min … max over rounds).`,
    '',
    '| target | p50 ms | p99 ms | added p50 ms | added p99 ms | failed | v2 share (5σ bound) |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...targets.map((x) => {
      const q = l[x];
      const a50 = x === 'direct' ? '—' : spreadCell(paired(x, 'p50Ms'));
      const a99 = x === 'direct' ? '—' : spreadCell(paired(x, 'p99Ms'));
      return `| ${LABEL[x]} | ${f(q?.p50Ms, 3)} | ${f(q?.p99Ms, 3)} | ${a50} | ${a99} | ${q ? `${q.bad}/${q.scheduled}` : 'n/a'} | ${x === 'direct' ? '—' : splitCell(r.splits[x])} |`;
    }),
    '',
    `Pooled difference (pooled proxy p99 − pooled direct p99): mesh ${f(added('mesh', 'p99Ms'), 3)} ms, HAProxy 1t ${f(added('haproxy-1t', 'p99Ms'), 3)} ms.`,
    ...(judged
      ? [
          '',
          `How sure: the goals are judged per round — added p99 = p99(proxy) − p99(direct) in the same round, and for the relative goal mesh − ${judged.k} × HAProxy 1t, which stays defined when HAProxy's added p99 is near 0 — on the median over the ${s.rounds} rounds and its distribution-free (sign-test) interval of ${f(100 * judged.difference.coverage, 1)}% coverage, shown as median [low, high]: met when the whole interval is on the goal's side. A window that the machine stalled (p99 over ${STALL_FACTOR}× its target's median window) spoils its round whichever target it hit, and moves a median by one rank only; stalled windows here: direct ${judged.stalled.direct}, mesh ${judged.stalled.mesh}, HAProxy 1t ${judged.stalled.reference} of ${s.rounds} each.`,
          ...(boot
            ? [
                '',
                `Pooled instead, every window weighing in full (a paired bootstrap over rounds: ${boot.draws} draws of ${boot.rounds} round indices with replacement, the same for every target; ${pct(boot.level)} percentile intervals): mesh added p99 ${intervalCell(boot.mesh)} ms, HAProxy 1t ${intervalCell(boot.reference)} ms, mesh − ${boot.k} × HAProxy 1t ${intervalCell(boot.difference)} ms (${VERDICT_WORDS[intervalVerdict(boot.difference)].split(':')[0]}).`,
              ]
            : []),
        ]
      : []),
    '',
    `Split over the whole run from the mesh's own \`istio_requests_total\` (by destination_version): ${splitCell(r.meshMetricsSplit)}.`,
    '',
    '### Against the targets',
    '',
    '| target | measured | verdict |',
    '|---|---:|---|',
    `| mesh throughput ≥ ${THROUGHPUT_TARGET.toFixed(1)}× HAProxy (nbthread 1, same CPU) | ${ratio(t.mesh?.rps, hap1)} | ${verdict(meshRatio === undefined ? undefined : meshRatio >= THROUGHPUT_TARGET)} |`,
    ...(judged
      ? [
          `| mesh added p99 < ${ADDED_P99_TARGET_MS} ms at ${s.rate} req/s (median over ${s.rounds} paired rounds, ${f(100 * judged.mesh.coverage, 1)}% interval) | ${medianCell(judged.mesh)} ms (HAProxy 1t: ${medianCell(judged.reference)} ms) | ${VERDICT_WORDS[belowBound(judged.mesh, ADDED_P99_TARGET_MS)]} |`,
          `| mesh added p99 ≤ ${ADDED_P99_VS_HAPROXY}× HAProxy 1t's at ${s.rate} req/s: mesh − ${ADDED_P99_VS_HAPROXY} × HAProxy 1t ≤ 0 (median over ${s.rounds} paired rounds, ${f(100 * judged.difference.coverage, 1)}% interval) | ${medianCell(judged.difference)} ms (ratio of the medians ${ratio(judged.mesh.median, judged.reference.median)}) | ${VERDICT_WORDS[belowBound(judged.difference, 0)]} |`,
        ]
      : ['| mesh added p99 (rounds missing) | n/a | n/a |']),
    `| for reference: mesh / HAProxy default threads throughput | ${ratio(t.mesh?.rps, t['haproxy-default']?.rps)} | — |`,
    '',
    '### Method',
    '',
    `- Backends: \`bench/proxy/backend/main.go\` (Go stdlib net/http, ${m.versions.go.replace(/^go version /, '')}), one process per version answering 200 with \`x-version\` and a 14-byte body. The mesh starts them as \`command\` backends (\`$PORT\`); each writes its port to a registry file and HAProxy is pointed at those very ports, so both proxies use the same backend processes.`,
    `- The mesh runs in its own Node process (\`bench/proxy/mesh-launcher.ts\` → \`createLocalMesh\`, code from ${r.meshFrom === 'dist' ? '`dist/` built by `tsc -p tsconfig.build.json`' : r.meshFrom === 'src' ? '`src/` via tsx' : `\`${r.meshFrom}\``}), not sharing an event loop with the load generator.`,
    `- CPU pinning with \`taskset\`: the proxy under test (mesh, HAProxy nbthread 1) on CPU ${s.proxyCpu}; wrk, the fixed-rate generator (${r.generator.startsWith('vegeta') ? 'vegeta, a child of the harness, inheriting its CPU' : 'the harness process'}) and both backends on CPU ${s.loadCpu}. "HAProxy, default threads" is allowed every CPU (${s.haproxyDefaultThreads} threads, sharing CPU ${s.loadCpu} with the load) and is shown for honesty, not as the comparison point.`,
    '- HAProxy 90/10 is weighted round robin (deterministic); the mesh draws per request (random), hence the 5σ binomial bound on the v2 share.',
    '- Same request for all targets: `GET /` with `Host: bench` (the mesh routes on it; HAProxy and the backend ignore it). "Direct" goes to backend v1 only.',
    `- On a ${m.nproc}-CPU machine the load side (wrk + backends on one CPU) can itself limit throughput, so "direct" is a ceiling of the load side, not of the backend. Run on a quiet machine; numbers from a busy machine (see load average) are noisy.`,
    '',
    ...reproduceLines(command),
  ];
  return lines.join('\n');
}
