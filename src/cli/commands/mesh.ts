/**
 * `mesh-exp mesh --manifest <file|dir>...`: runs the embedded local mesh in the foreground — an
 * HTTP/1.1 proxy serving the manifests' VirtualServices and DestinationRules with demo backends —
 * until interrupted. `mesh-exp mesh --kubeconfig FILE [-n NS]` takes them from a Kubernetes API
 * server instead and follows their changes live (`kube-mesh.ts`). Prints exactly one line to stdout
 * when ready (scripts wait for it); warnings and the admin address go to stderr.
 */
import { Command } from 'commander';
import type { Context } from '../../context.js';
import { ExitCode, type Problem, SignalError, signalExitCode, UsageError, ValidationError } from '../../errors.js';
import { readManifests } from '../../istio/manifests.js';
import { isLoopback, parseListenAddress } from '../../mesh/listen-address.js';
import { createKubeMesh } from '../../mesh/kube-mesh.js';
import { createLocalMesh } from '../../mesh/local-mesh.js';
import type { LocalMesh } from '../../mesh/types.js';
import type { CommandResult } from '../command-result.js';

const HELP = `
Examples:
  $ mesh-exp mesh --manifest istio/
  $ mesh-exp mesh -m destination-rule-all.yaml -m virtual-service-reviews-50-v3.yaml
  $ mesh-exp mesh -m istio/ --listen 127.0.0.1:0 --admin 127.0.0.1:0
  $ curl -H 'Host: reviews' -H 'end-user: jason' http://127.0.0.1:15001/reviews/1
  $ curl http://127.0.0.1:15020/stats/prometheus
  $ curl http://127.0.0.1:15020/config/virtualservices/default/reviews
  $ mesh-exp mesh --kubeconfig ~/.kube/config --context kind-dev -n bookinfo

Requests are routed by their Host header ("reviews", "reviews.default.svc.cluster.local", ...).
Every DestinationRule subset gets a demo backend answering 200 with "x-version: <subset>".
Admin endpoints: /ready, /stats/prometheus (Istio metrics), /config_dump, /info (proxy URL),
and /config/virtualservices/<ns>/<name>: GET {resourceVersion, virtualService}; PUT the same to
replace it live (from loopback only; a stale resourceVersion is 409, an invalid object 422).
Experiments run against this mesh with spec.local.attach: http://<admin address>, so the mesh
outlives a crashed run and \`mesh-exp recover\` can put the VirtualService back.
With --kubeconfig (or --context) the mesh lists and watches the VirtualServices and
DestinationRules of one namespace (-n, else the context's, else "default") and applies every
change live, like istiod pushing to Envoy. An object the mesh cannot use is refused on its own and
its last accepted version keeps serving (logged; /info and /config_dump show it). Through an API
server outage the last good configuration keeps serving while the watch re-lists with backoff.
/ready answers 200 only after the initial sync; PUT /config/virtualservices/... is refused (405).
Ready line on stdout: "mesh-exp mesh listening on http://HOST:PORT" (in --kubeconfig mode, once
the initial sync is applied).
Stop with Ctrl-C (exit 130), SIGTERM (exit 143) or SIGHUP (exit 129). Invalid manifests exit 2.
`;

/** Flags of the mesh command. */
interface MeshFlags {
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
}

/** Creates the `mesh` command. */
export function createMeshCommand(ctx: Context, result: CommandResult): Command {
  return new Command('mesh')
    .description('run the local mesh: an Istio-compatible HTTP proxy serving the given manifests')
    .option('-m, --manifest <path...>', 'VirtualService / DestinationRule YAML files or directories (repeatable)')
    .option('--kubeconfig <file>', 'watch the VirtualServices and DestinationRules of a Kubernetes namespace instead of reading manifests')
    .option('--context <name>', 'kubeconfig context (implies watching Kubernetes)')
    .option('--listen <host:port>', 'proxy address (port 0 picks a free one)', '127.0.0.1:15001')
    .option('--admin <host:port>', 'admin address: /ready, /stats/prometheus, /config_dump', '127.0.0.1:15020')
    .option('--shadow-host-suffix', 'append "-shadow" to the Host of mirrored requests (Istio < 1.28 behaviour)')
    .option('-n, --namespace <name>', 'namespace of objects that name none; with --kubeconfig the namespace watched (default: "default", or the context\'s)')
    .option('--read-only', 'refuse PUT /config/virtualservices/... (runs cannot attach to change routes)')
    .addHelpText('after', HELP)
    .action(async (flags: MeshFlags) => {
      // Check the addresses before reading anything: a typo is a usage error (exit 2).
      for (const [what, text] of [['--listen', flags.listen], ['--admin', flags.admin]] as const) {
        const addr = parseListenAddress(text, what);
        if (!isLoopback(addr.host)) ctx.logger.warn(`${what} ${text} is not a loopback address: the mesh is reachable from other machines`);
      }
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
        ctx.logger.info(`admin on ${mesh.adminUrl} (/ready, /stats/prometheus, /config_dump, /info); watching VirtualServices and DestinationRules in namespace ${km.namespace} of ${km.kube.server} (context ${km.kube.context})`);
        // The ready line means "serving the cluster's configuration", so it waits for the initial sync.
        await Promise.race([km.synced(), untilAborted(ctx.signal)]);
      } else {
        const { set, origins } = await readAll(flags.manifest!, ctx.cwd);
        mesh = await createLocalMesh({
          ...common,
          virtualServices: set.virtualServices,
          destinationRules: set.destinationRules,
          origins,
          namespace: flags.namespace ?? 'default',
          configWrites: flags.readOnly !== true,
        });
        close = () => mesh.close();
        ctx.logger.info(`admin on ${mesh.adminUrl} (/ready, /stats/prometheus, /config_dump, /info, /config/virtualservices/${flags.readOnly ? ', read-only' : ''}); ${set.virtualServices.length} VirtualService(s), ${set.destinationRules.length} DestinationRule(s)`);
      }
      if (!ctx.signal.aborted) ctx.stdout.write(`mesh-exp mesh listening on ${mesh.url}\n`);
      await untilAborted(ctx.signal);
      await close();
      const reason: unknown = ctx.signal.reason;
      result.exitCode = reason instanceof SignalError ? signalExitCode[reason.signal] : ExitCode.SIGINT;
    });
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
