/**
 * What `mesh-exp mesh` does once its flags are parsed; imported only when the command runs, because
 * the local mesh and the Kubernetes client are the heaviest modules of the CLI (see `mesh.ts`).
 */
import type { Context } from '../../context.js';
import { ExitCode, type Problem, SignalError, signalExitCode, UsageError, ValidationError } from '../../errors.js';
import { readManifests } from '../../istio/manifests.js';
import { isLoopback, parseListenAddress } from '../../mesh/admin/listen-address.js';
import { createKubeMesh } from '../../mesh/kube-mesh.js';
import { trackGroups } from '../../mesh/backends/process-group.js';
import { createLocalMesh } from '../../mesh/local-mesh.js';
import type { LocalMesh } from '../../mesh/types.js';
import type { CommandResult } from '../command-result.js';

/** Flags of the mesh command. */
export interface MeshFlags {
  /** Manifest files or directories. @default none (then --kubeconfig) */
  manifest?: string[];
  /** Kubeconfig to watch the objects through. @default none */
  kubeconfig?: string;
  /** Kubeconfig context. @default the current context */
  context?: string;
  /** Proxy address. @default "127.0.0.1:15001" */
  listen: string;
  /** Admin address. @default "127.0.0.1:15020" */
  admin: string;
  /** Istio < 1.28 mirror Host suffix. @default false */
  shadowHostSuffix?: boolean;
  /** Namespace for objects without one; the namespace watched with --kubeconfig. @default "default" (the context's with --kubeconfig) */
  namespace?: string;
  /** Refuse PUT on the admin API. @default false */
  readOnly?: boolean;
  /** Local port of Gateway and TCP listeners: offset + declared port, or "free". @default "10000" */
  portOffset: string;
}

/** Serves the manifests (or the watched namespace) until the context's signal aborts. */
export async function meshAction(ctx: Context, result: CommandResult, flags: MeshFlags): Promise<void> {
  // Check the addresses before reading anything: a typo is a usage error (exit 2).
  for (const [what, text] of [['--listen', flags.listen], ['--admin', flags.admin]] as const) {
    const addr = parseListenAddress(text, what);
    if (!isLoopback(addr.host)) ctx.logger.warn(`${what} ${text} is not a loopback address: the mesh is reachable from other machines`);
  }
  const portOffset = parsePortOffset(flags.portOffset);
  const kubeMode = flags.kubeconfig !== undefined || flags.context !== undefined;
  if (kubeMode === (flags.manifest !== undefined)) {
    throw new UsageError(kubeMode ? '--manifest and --kubeconfig/--context exclude each other' : 'give --manifest <path> or --kubeconfig <file>', {
      hint: 'serve manifest files with -m, or watch a Kubernetes namespace with --kubeconfig FILE [--context NAME] [-n NAMESPACE]',
    });
  }
  const common = {
    listen: flags.listen,
    admin: flags.admin,
    cwd: ctx.cwd,
    env: { ...ctx.env },
    shadowHostSuffix: flags.shadowHostSuffix === true,
    logger: ctx.logger,
    children: trackGroups(ctx.processGroups),
    portOffset,
  };
  let mesh: LocalMesh;
  let close: () => Promise<void>;
  if (kubeMode) {
    const km = await createKubeMesh({
      ...common,
      kube: { ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}), ...(flags.context !== undefined ? { context: flags.context } : {}), env: ctx.env, cwd: ctx.cwd },
      ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
    });
    mesh = km.mesh;
    close = () => km.close();
    ctx.phase = 'serving';
    ctx.logger.info(`admin on ${mesh.adminUrl} (/ready, /stats/prometheus, /config_dump, /info); watching VirtualServices, DestinationRules and Gateways in namespace ${km.namespace} of ${km.kube.server} (context ${km.kube.context})`);
    // The ready line means "serving the cluster's configuration", so it waits for the initial sync.
    await Promise.race([km.synced(), untilAborted(ctx.signal)]);
  } else {
    const { set, origins } = await readAll(flags.manifest!, ctx.cwd);
    mesh = await createLocalMesh({
      ...common,
      virtualServices: set.virtualServices,
      destinationRules: set.destinationRules,
      gateways: set.gateways ?? [],
      origins,
      namespace: flags.namespace ?? 'default',
      configWrites: flags.readOnly !== true,
    });
    close = () => mesh.close();
    // From here a signal closes the mesh (a second one exits at once: it holds nothing to save).
    ctx.phase = 'serving';
    ctx.logger.info(`admin on ${mesh.adminUrl} (/ready, /stats/prometheus, /config_dump, /info, /config/virtualservices/${flags.readOnly ? ', read-only' : ''}); ${set.virtualServices.length} VirtualService(s), ${set.destinationRules.length} DestinationRule(s), ${set.gateways?.length ?? 0} Gateway(s)`);
  }
  // The mapping of declared ports to local ones: stderr, so the ready line stays the one stdout line.
  for (const l of mesh.listeners?.() ?? []) ctx.logger.info(`${l.name} on ${l.url}`);
  if (!ctx.signal.aborted) ctx.stdout.write(`mesh-exp mesh listening on ${mesh.url}\n`);
  await untilAborted(ctx.signal);
  await close();
  const reason: unknown = ctx.signal.reason;
  result.exitCode = reason instanceof SignalError ? signalExitCode[reason.signal] : ExitCode.SIGINT;
}

/** `--port-offset`: a number 0–65535 or "free". */
function parsePortOffset(text: string): number | 'free' {
  if (text === 'free') return 'free';
  const n = Number(text);
  if (/^\d+$/.test(text) && n <= 65535) return n;
  throw new UsageError(`--port-offset: "${text}" is neither a number 0–65535 nor "free"`, { hint: 'e.g. --port-offset 10000 (gateway port 80 listens on 10080) or --port-offset free' });
}

/** Reads the manifests; every problem (and every unreadable path) at once as a ValidationError. */
async function readAll(paths: string[], cwd: string) {
  const r = await readManifests(paths, cwd, { displayDir: '' });
  const missing: Problem[] = r.unreadable.map((u) => ({ path: '', message: u.message, ...(u.hint ? { hint: u.hint } : {}) }));
  const problems = [...missing, ...r.problems];
  if (problems.length > 0) throw new ValidationError(problems, { hint: 'fix the manifests listed above' });
  return r;
}

/** Resolves when `signal` aborts (at once if it already has). */
function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
