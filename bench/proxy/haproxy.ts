/**
 * HAProxy configured for the same 90/10 split over the same two backends: one frontend on
 * 127.0.0.1, one backend with the servers weighted 90/10 (weighted round robin), HTTP keep-alive on
 * both sides, no logging (the mesh does not log per request either).
 */
import { writeFile } from 'node:fs/promises';
import { freePort } from '../../test/support/free-port.js';
import { join } from 'node:path';
import type { ProcessGroup, Started } from './process-group.js';

/** One weighted upstream. */
export interface HaproxyServer {
  /** Server name (the version). */
  name: string;
  /** Port on 127.0.0.1. */
  port: number;
  /** Relative weight. */
  weight: number;
}

/** Options for {@link renderHaproxyConfig}. */
export interface HaproxyConfigOptions {
  /** Frontend port on 127.0.0.1. */
  port: number;
  /** The upstreams. */
  servers: HaproxyServer[];
  /** Worker threads; undefined leaves HAProxy's default (one per CPU it may run on). */
  nbthread?: number;
}

/** Renders haproxy.cfg. */
export function renderHaproxyConfig(o: HaproxyConfigOptions): string {
  return [
    'global',
    ...(o.nbthread === undefined ? [] : [`  nbthread ${o.nbthread}`]),
    '  maxconn 4096', // needs ~2×maxconn FDs; stays under common 'ulimit -n' values
    '',
    'defaults',
    '  mode http',
    '  option http-keep-alive',
    '  timeout connect 5s',
    '  timeout client 30s',
    '  timeout server 30s',
    '',
    'frontend bench',
    `  bind 127.0.0.1:${o.port}`,
    '  default_backend split',
    '',
    'backend split',
    '  balance roundrobin',
    ...o.servers.map((s) => `  server ${s.name} 127.0.0.1:${s.port} weight ${s.weight}`),
    '',
  ].join('\n');
}

/** Options for {@link startHaproxy}. */
export interface StartHaproxyOptions extends Omit<HaproxyConfigOptions, 'port'> {
  /** Process group it runs in. */
  group: ProcessGroup;
  /** haproxy binary. */
  haproxyPath: string;
  /** argv prefix pinning it to a CPU ([] = unpinned). */
  pinPrefix: string[];
  /** Scratch directory for the config. */
  workDir: string;
  /** Label for logs and the config file name. */
  label: string;
}

/** A running HAProxy. */
export interface RunningHaproxy {
  /** Frontend URL. */
  url: string;
  /** The process. */
  started: Started;
}

/** Writes the config, starts HAProxy in the foreground and waits until it answers. */
export async function startHaproxy(o: StartHaproxyOptions): Promise<RunningHaproxy> {
  const port = await freePort();
  const cfg = join(o.workDir, `${o.label}.cfg`);
  await writeFile(cfg, renderHaproxyConfig({ port, servers: o.servers, nbthread: o.nbthread }));
  // -db: stay in the foreground (no daemon), so the process group we track is HAProxy itself.
  const started = o.group.start([...o.pinPrefix, o.haproxyPath, '-db', '-f', cfg], { name: o.label });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.ok) return { url, started };
    } catch {
      // not listening yet
    }
    if (started.child.exitCode !== null) throw new Error(`${o.label} exited with ${started.child.exitCode} (config ${cfg})`);
    if (Date.now() > deadline) throw new Error(`${o.label} did not answer on ${url} within 10 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
