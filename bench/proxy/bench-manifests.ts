/**
 * The routing both proxies implement: host `bench`, 90% to subset v1 and 10% to subset v2, each
 * served by one Go backend the mesh starts as a `command` backend (pinned to the load CPU).
 */
import type { LocalMeshOptions } from '../../src/mesh/types.js';

/** Host header every benchmark request carries (the mesh routes on it; HAProxy ignores it). */
export const BENCH_HOST = 'bench';

/** Traffic share of each version, percent. */
export const WEIGHTS = { v1: 90, v2: 10 } as const;

/** Options for {@link createBenchMeshOptions}. */
export interface BenchMeshOptionsInput {
  /** argv prefix that pins a process to the backend CPU, e.g. ["/usr/bin/taskset", "-c", "1"]. */
  pinPrefix: string[];
  /** Absolute path of the built Go backend. */
  backendBin: string;
  /** Directory the backends announce their ports in. */
  registryDir: string;
  /** Working directory for the backend commands. */
  cwd: string;
}

/** The LocalMeshOptions (JSON-serialisable: no functions) the mesh launcher is given. */
export function createBenchMeshOptions(input: BenchMeshOptionsInput): LocalMeshOptions {
  const backend = (version: 'v1' | 'v2') => ({
    host: BENCH_HOST,
    subset: version,
    replicas: 1,
    readyPath: '/',
    command: [...input.pinPrefix, input.backendBin, '-version', version, '-registry', input.registryDir],
  });
  return {
    listen: '127.0.0.1:0',
    admin: '127.0.0.1:0',
    cwd: input.cwd,
    virtualServices: [
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: BENCH_HOST, namespace: 'default' },
        spec: {
          hosts: [BENCH_HOST],
          http: [
            {
              name: 'split',
              route: [
                { destination: { host: BENCH_HOST, subset: 'v1' }, weight: WEIGHTS.v1 },
                { destination: { host: BENCH_HOST, subset: 'v2' }, weight: WEIGHTS.v2 },
              ],
            },
          ],
        },
      },
    ],
    destinationRules: [
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: BENCH_HOST, namespace: 'default' },
        spec: {
          host: BENCH_HOST,
          subsets: [
            { name: 'v1', labels: { version: 'v1' } },
            { name: 'v2', labels: { version: 'v2' } },
          ],
        },
      },
    ],
    backends: [backend('v1'), backend('v2')],
  };
}
