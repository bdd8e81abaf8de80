/**
 * `mesh-exp mesh --manifest <file|dir>...`: runs the embedded local mesh in the foreground — an
 * HTTP/1.1 proxy serving the manifests' VirtualServices, DestinationRules and Gateways with demo backends —
 * until interrupted. `mesh-exp mesh --kubeconfig FILE [-n NS]` takes them from a Kubernetes API
 * server instead and follows their changes live (`kube-mesh.ts`). Prints exactly one line to stdout
 * when ready (scripts wait for it); warnings and the admin address go to stderr.
 */
import { Command } from 'commander';
import type { Context } from '../../context.js';
import type { CommandResult } from '../command-result.js';
import type { MeshFlags } from './mesh-action.js';

const HELP = `
Examples:
  $ mesh-exp mesh --manifest istio/
  $ mesh-exp mesh -m destination-rule-all.yaml -m virtual-service-reviews-50-v3.yaml
  $ mesh-exp mesh -m istio/ --listen 127.0.0.1:0 --admin 127.0.0.1:0
  $ curl -H 'Host: reviews' -H 'end-user: jason' http://127.0.0.1:15001/reviews/1
  $ curl http://127.0.0.1:15020/stats/prometheus
  $ curl http://127.0.0.1:15020/config/virtualservices/default/reviews
  $ mesh-exp mesh --kubeconfig ~/.kube/config --context kind-dev -n bookinfo
  $ mesh-exp mesh -m httpbin-gateway.yaml            # Gateway port 80 → 127.0.0.1:10080
  $ curl -H 'Host: httpbin.example.com' http://127.0.0.1:10080/status/200

Requests are routed by their Host header ("reviews", "reviews.default.svc.cluster.local", ...).
Every DestinationRule subset gets a demo backend answering 200 with "x-version: <subset>".
Gateways: every server port (HTTP or TCP) gets a listener on the --listen host at
<port-offset> + <port> (80 → 10080 by default; "free" lets the system pick), serving the
VirtualServices whose spec.gateways name the Gateway; "mesh" (the default when spec.gateways is
absent) binds them to the mesh listener. VirtualService tcp routes bound to "mesh" listen on
<port-offset> + the service port (match.port, else the destination's port.number). The mapping is
printed to stderr at start and shown by /info and /config_dump (listeners).
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
Stop with Ctrl-C (exit 130), SIGTERM (exit 143) or SIGHUP (exit 129): the mesh closes its listeners,
then exits; a second signal exits at once. Invalid manifests exit 2.
`;

/** Creates the `mesh` command. */
export function createMeshCommand(ctx: Context, result: CommandResult): Command {
  return new Command('mesh')
    .description('run the local mesh: an Istio-compatible HTTP proxy serving the given manifests')
    .option('-m, --manifest <path...>', 'VirtualService / DestinationRule / Gateway YAML files or directories (repeatable)')
    .option('--kubeconfig <file>', 'watch the VirtualServices, DestinationRules and Gateways of a Kubernetes namespace instead of reading manifests')
    .option('--context <name>', 'kubeconfig context (implies watching Kubernetes)')
    .option('--listen <host:port>', 'proxy address (port 0 picks a free one)', '127.0.0.1:15001')
    .option('--admin <host:port>', 'admin address: /ready, /stats/prometheus, /config_dump', '127.0.0.1:15020')
    .option('--shadow-host-suffix', 'append "-shadow" to the Host of mirrored requests (Istio < 1.28 behaviour)')
    .option('-n, --namespace <name>', 'namespace of objects that name none; with --kubeconfig the namespace watched (default: "default", or the context\'s)')
    .option('--read-only', 'refuse PUT /config/virtualservices/... (runs cannot attach to change routes)')
    .option('--port-offset <n|free>', 'local port of Gateway and TCP listeners: n + the declared port, or "free"', '10000')
    .addHelpText('after', HELP)
    .action(async (flags: MeshFlags) => {
      // Imported here so that `--help` and the other commands never load the mesh or the Kubernetes client.
      const { meshAction } = await import('./mesh-action.js');
      await meshAction(ctx, result, flags);
    });
}
