/**
 * Public contract of the embedded local mesh (`createLocalMesh` in `local-mesh.ts`): a real HTTP/1.1
 * proxy that routes by Istio VirtualServices/DestinationRules and records Istio's standard metrics.
 */
import type { Logger } from '../context.js';
import type { Problem } from '../errors.js';
import type { DestinationRule, Gateway, VirtualService } from '../istio/types.js';
import type { BackendSpec } from '../experiment/schema.js';
import type { ChildObserver } from './backends/process-group.js';
import type { OutlierEvent } from './endpoints/outlier-detector.js';
export type { ChildObserver, ChildRecord } from './backends/process-group.js';

/** Options for {@link LocalMesh}. */
export interface LocalMeshOptions {
  /** VirtualServices and DestinationRules to serve. */
  virtualServices: VirtualService[];
  /** DestinationRules (define subsets; a demo backend is started per (host, subset) unless `backends` says otherwise). */
  destinationRules: DestinationRule[];
  /**
   * Gateways: each HTTP or TCP server port gets a listener (see `portOffset`) serving the
   * VirtualServices bound to it by `spec.gateways`. (Additive.) @default []
   */
  gateways?: Gateway[];
  /**
   * Local port of each Gateway port and mesh TCP service port: `offset + declared port` (e.g. 10000:
   * 80 → 10080), or "free" for ports the system picks. See `LocalMesh.listeners`. (Additive.)
   * @default "free"
   */
  portOffset?: number | 'free';
  /** Backend overrides per (host, subset): demo parameters or a command. @default [] */
  backends?: BackendSpec[];
  /** Proxy listen address "host:port"; port 0 picks one. @default "127.0.0.1:15001" */
  listen?: string;
  /** Admin listen address for /ready and /stats/prometheus. @default "127.0.0.1:15020" */
  admin?: string;
  /** Working directory for backend commands. @default "." */
  cwd?: string;
  /** Append "-shadow" to the Host of mirrored requests (Istio < 1.28 behaviour). @default false */
  shadowHostSuffix?: boolean;
  /** Random source in [0,1) for weights and fault draws (seedable in tests). @default Math.random */
  random?: () => number;
  /** Logger for backend output and warnings. */
  logger?: Logger;
  /** Namespace objects without one are placed in. @default "default" */
  namespace?: string;
  /**
   * Environment of backend commands (PORT is added). Pass the context's env; when undefined the
   * commands inherit the mesh process's environment. (Additive.) @default inherited
   */
  env?: Record<string, string | undefined>;
  /** How long a backend command may take to answer its readyPath, ms. (Additive.) @default 30000 */
  readyTimeoutMs?: number;
  /**
   * Told about every backend process started (before the mesh relies on it) and reaped, e.g. so
   * a run journals their pids for `mesh-exp recover`. (Additive.) @default none
   */
  children?: ChildObserver;
  /**
   * Where each given object was read (e.g. `readManifests(...).origins`), so problems and warnings
   * name the file and the line the object starts on. (Additive.) @default none
   */
  origins?: ReadonlyMap<object, { file: string; line?: number }>;
  /**
   * Accept PUT /config/virtualservices/<ns>/<name> on the admin address (from loopback peers only),
   * so runs can attach to this mesh (`spec.local.attach`). GET is always served. (Additive.)
   * @default false
   */
  configWrites?: boolean;
  /**
   * Where the configuration comes from when it is not (only) the given objects, e.g. a Kubernetes
   * API server (`createKubeSource` in `kube-source.ts`). With a source, /ready answers 503 until
   * `source.ready()`, /info and /config_dump carry its fields, GET /config/virtualservices answers
   * its resourceVersions and PUT is refused (405) with its `readOnlyReason`. (Additive.)
   * @default none: the given objects are the configuration
   */
  configSource?: ConfigSource;
  /**
   * Told about every outlier-detection ejection and return (DestinationRule `outlierDetection`);
   * the mesh also keeps the last 100 (`outlierEvents()`) and logs them at info. (Additive.)
   * @default none
   */
  onOutlierEvent?: (event: OutlierEvent) => void;
  /** Monotonic clock of outlier detection, ms (tests inject one). (Additive.) @default performance.now */
  now?: () => number;
}

/** A whole routing configuration, as a control plane pushes it (the state of the world). */
export interface MeshConfig {
  /** Every VirtualService to serve, oldest first (on a host conflict the older one wins). */
  virtualServices: VirtualService[];
  /** Every DestinationRule to serve. */
  destinationRules: DestinationRule[];
  /** Every Gateway to serve. (Additive.) @default [] */
  gateways?: Gateway[];
}

/** A listener besides the mesh's HTTP one: a Gateway port or a mesh TCP service port. */
export interface MeshListener {
  /** Stable identity: "gateway:80", "mesh:tcp-echo.default.svc.cluster.local:9000". */
  key: string;
  /** What it serves. */
  kind: 'gateway-http' | 'gateway-tcp' | 'mesh-tcp';
  /** For people: "gateway HTTP :80 (default/httpbin-gateway)". */
  name: string;
  /** The port as declared (Gateway `port.number`, the service port of a TCP route). */
  port: number;
  /** The local port it listens on. */
  localPort: number;
  /** "http://127.0.0.1:10080" (HTTP gateway) or "tcp://127.0.0.1:19000" (TCP). */
  url: string;
}

/** What the admin API shows of an external configuration source (see `LocalMeshOptions.configSource`). */
export interface ConfigSource {
  /** Name shown as `source` by /info and /config_dump, e.g. "kubernetes". */
  readonly kind: string;
  /** Why PUT /config/virtualservices is refused (the 405 answer's message). */
  readonly readOnlyReason: string;
  /** Whether the source's initial configuration is applied; /ready answers 503 until then. */
  ready(): boolean;
  /** Fields added to GET /info (e.g. `synced`). */
  info(): Record<string, unknown>;
  /** Fields added to GET /config_dump (e.g. the resourceVersion of each object served). */
  dump(): Record<string, unknown>;
  /** The source's version of an object ("VirtualService ns/name"), for GET /config/virtualservices. @default the mesh's counter */
  resourceVersionOf?(label: string): string | undefined;
}

/** A running local mesh. */
export interface LocalMesh {
  /** Proxy base URL, e.g. "http://127.0.0.1:15001". Requests are routed by their Host header. */
  readonly url: string;
  /** Gateway and TCP listeners open now, with their local ports. (Additive.) @default [] */
  listeners?(): MeshListener[];
  /** Admin base URL, e.g. "http://127.0.0.1:15020". */
  readonly adminUrl: string;
  /** Fields present in the manifests that the local mesh does not implement (reported, not ignored silently). */
  readonly warnings: Problem[];
  /** The VirtualService currently served, by namespace and name. */
  getVirtualService(namespace: string, name: string): VirtualService | undefined;
  /** Replaces (or adds) a VirtualService live; in-flight requests finish on the old routes. Throws ValidationError on bad input. */
  applyVirtualService(vs: VirtualService): void;
  /** Deep copies of the DestinationRules in force. (Additive.) */
  getDestinationRules(): DestinationRule[];
  /**
   * Replaces (or adds) the given VirtualServices and DestinationRules, by namespace/name, in one
   * live reconfiguration (`applyConfig` of the configuration in force with them in place): the
   * routes and the traffic policies change together, so no request sees one without the other.
   * Serialized with `applyConfig`; rejects as it does, changing nothing. (Additive.)
   */
  applyObjects(objects: Partial<MeshConfig>): Promise<void>;
  /**
   * Every error applying `config` would raise (manifest schema, compilation against the services
   * `config` itself defines); empty when it would be accepted. Changes nothing. (Additive.)
   */
  checkConfig(config: MeshConfig): Problem[];
  /**
   * Replaces the whole configuration live, as an istiod push does: starts the backends of
   * workloads that are new (a DestinationRule subset that appeared), swaps the route table in one
   * assignment, and stops the backends no longer used once the requests routed by older tables are
   * done. Calls are serialized. Rejects with a ValidationError (nothing changed) on a config with
   * errors, with a RuntimeError (nothing changed) when a new backend does not start. Backend
   * overrides (`backends`) for subsets the config does not define wait for them. (Additive.)
   */
  applyConfig(config: MeshConfig): Promise<void>;
  /** Monotonic count of configuration changes; `verify` compares it. */
  readonly generation: number;
  /** Prometheus text exposition of the Istio metrics (same as GET /stats/prometheus). */
  metricsText(): string;
  /** Envoy's outlier-detection counters, `[name, value]` pairs by cluster name (clusters with outlier detection only). (Additive.) */
  outlierStats?(): Map<string, [string, number][]>;
  /** The most recent outlier ejections and returns (up to 100), oldest first. (Additive.) */
  outlierEvents?(): OutlierEvent[];
  /** Stops listeners and backends; waits for in-flight requests up to a short grace period. */
  close(): Promise<void>;
}
