/**
 * Public contract of the embedded local mesh (`createLocalMesh` in `local-mesh.ts`): a real HTTP/1.1
 * proxy that routes by Istio VirtualServices/DestinationRules and records Istio's standard metrics.
 */
import type { Logger } from '../context.js';
import type { Problem } from '../errors.js';
import type { DestinationRule, VirtualService } from '../istio/types.js';
import type { BackendSpec } from '../spec/schema.js';

/** Options for {@link LocalMesh}. */
export interface LocalMeshOptions {
  /** VirtualServices and DestinationRules to serve. */
  virtualServices: VirtualService[];
  /** DestinationRules (define subsets; a demo backend is started per (host, subset) unless `backends` says otherwise). */
  destinationRules: DestinationRule[];
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
}

/** A running local mesh. */
export interface LocalMesh {
  /** Proxy base URL, e.g. "http://127.0.0.1:15001". Requests are routed by their Host header. */
  readonly url: string;
  /** Admin base URL, e.g. "http://127.0.0.1:15020". */
  readonly adminUrl: string;
  /** Fields present in the manifests that the local mesh does not implement (reported, not ignored silently). */
  readonly warnings: Problem[];
  /** The VirtualService currently served, by namespace and name. */
  getVirtualService(namespace: string, name: string): VirtualService | undefined;
  /** Replaces (or adds) a VirtualService live; in-flight requests finish on the old routes. Throws ValidationError on bad input. */
  applyVirtualService(vs: VirtualService): void;
  /** Monotonic count of configuration changes; `verify` compares it. */
  readonly generation: number;
  /** Prometheus text exposition of the Istio metrics (same as GET /stats/prometheus). */
  metricsText(): string;
  /** Stops listeners and backends; waits for in-flight requests up to a short grace period. */
  close(): Promise<void>;
}
