/**
 * Finding the cluster to talk to, the way kubectl does: `--kubeconfig`, else `$KUBECONFIG` (a
 * colon-separated list, merged, first file's current context wins), else `~/.kube/config`, else the
 * in-cluster service account when running as a pod. `--context` picks a context by name.
 *
 * Reads the environment from the context object it is given (never `process.env`), and imports
 * `@kubernetes/client-node` lazily: most commands never talk to Kubernetes and should not pay for
 * loading it at start-up.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { UsageError } from '../errors.js';

/** Where a pod's service-account files (token, ca.crt, namespace) are mounted. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** Where the service-account token of a pod is mounted. */
export const IN_CLUSTER_TOKEN = `${SERVICE_ACCOUNT_DIR}/token`;

/** Options for {@link loadKubeConfig}. */
export interface KubeConfigOptions {
  /** Path given with `--kubeconfig`. @default `$KUBECONFIG`, then `~/.kube/config`, then in-cluster */
  kubeconfig?: string;
  /** Context name given with `--context`. @default the file's current-context */
  context?: string;
  /** Environment to read KUBECONFIG, HOME and KUBERNETES_SERVICE_HOST from. @default {} */
  env?: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths are resolved against. @default "." */
  cwd?: string;
  /** Prefix of the service-account directory (tests point it at a directory of theirs). @default `$MESH_EXP_IN_CLUSTER_ROOT`, else "" (the pod's mount) */
  inClusterRoot?: string;
}

/** A loaded configuration and where it came from (for messages and the report). */
export interface LoadedKubeConfig {
  /** The client-node configuration, current context set. */
  kubeConfig: KubeConfig;
  /** Where it was read: a file list, or "in-cluster service account". */
  source: string;
  /** The context in use ("in-cluster" for the service account). */
  context: string;
  /** API server URL of that context. */
  server: string;
  /** The context's default namespace, when it names one. @default absent */
  namespace?: string;
}

function candidateFiles(options: KubeConfigOptions): { files: string[]; from: string } | undefined {
  const env = options.env ?? {};
  const cwd = options.cwd ?? '.';
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  if (options.kubeconfig !== undefined) return { files: [abs(options.kubeconfig)], from: '--kubeconfig' };
  const list = (env['KUBECONFIG'] ?? '').split(':').filter(Boolean);
  if (list.length) return { files: list.map(abs), from: '$KUBECONFIG' };
  const home = env['HOME'];
  if (home && existsSync(join(home, '.kube', 'config'))) return { files: [join(home, '.kube', 'config')], from: '~/.kube/config' };
  return undefined;
}

/**
 * Testing only: a directory the pod's service-account mount is looked for under (a test lays out
 * token, ca.crt and namespace there to run the CLI as a pod would, e.g. a scheduled run's command).
 */
export const IN_CLUSTER_ROOT_ENV = 'MESH_EXP_IN_CLUSTER_ROOT';

/** The prefix of the service-account directory: the option, else {@link IN_CLUSTER_ROOT_ENV}, else none (the pod's mount). */
function inClusterRoot(options: KubeConfigOptions): string {
  return options.inClusterRoot ?? options.env?.[IN_CLUSTER_ROOT_ENV] ?? '';
}

/** Loads the kubeconfig as kubectl would; throws a UsageError (exit 2) that says what was looked for. */
export async function loadKubeConfig(options: KubeConfigOptions = {}): Promise<LoadedKubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  const found = candidateFiles(options);
  let source: string;
  if (found) {
    const missing = found.files.filter((f) => !existsSync(f));
    // kubectl skips missing entries of $KUBECONFIG but not a missing --kubeconfig.
    const usable = found.from === '--kubeconfig' ? found.files : found.files.filter((f) => existsSync(f));
    if (missing.length && (found.from === '--kubeconfig' || usable.length === 0)) {
      throw new UsageError(`kubeconfig not found: ${missing.join(', ')} (from ${found.from})`, {
        hint: 'give the path of a kubeconfig file with --kubeconfig, or set KUBECONFIG',
      });
    }
    for (const [i, file] of usable.entries()) {
      try {
        if (i === 0) kc.loadFromFile(file);
        else {
          const next = new KubeConfig();
          next.loadFromFile(file);
          kc.mergeConfig(next, true);
        }
      } catch (err) {
        throw new UsageError(`cannot read kubeconfig ${file}: ${(err as Error).message}`, { cause: err, hint: 'check that it is a kubeconfig YAML file (kubectl config view --kubeconfig FILE)' });
      }
    }
    source = usable.join(':');
  } else if ((options.env ?? {})['KUBERNETES_SERVICE_HOST'] && existsSync(`${inClusterRoot(options)}${IN_CLUSTER_TOKEN}`)) {
    loadInCluster(kc, options.env ?? {}, inClusterRoot(options));
    source = 'in-cluster service account';
  } else {
    throw new UsageError('no kubeconfig: none given, KUBECONFIG is unset, ~/.kube/config does not exist and this is not a pod', {
      hint: 'pass --kubeconfig FILE (and --context NAME), or set KUBECONFIG',
    });
  }
  if (options.context !== undefined) {
    if (!kc.getContextObject(options.context)) {
      const names = kc.getContexts().map((c) => c.name);
      throw new UsageError(`context "${options.context}" is not in ${source}`, { hint: `contexts there: ${names.join(', ') || 'none'}` });
    }
    kc.setCurrentContext(options.context);
  }
  const context = kc.getCurrentContext();
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new UsageError(`kubeconfig ${source} has no cluster for context "${context || '(none)'}"`, {
      hint: kc.getContexts().length ? 'pick one with --context' : 'the file defines no contexts',
    });
  }
  const namespace = kc.getContextObject(context)?.namespace;
  return { kubeConfig: kc, source, context: context || 'in-cluster', server: cluster.server, ...(namespace ? { namespace } : {}) };
}

/**
 * The pod's service account, as client-node's loadFromCluster reads it (CA file, a token file read
 * on every request so rotated tokens work, the namespace file) — but with the API server's address
 * from `env`, not process.env, so the context's environment is the only one consulted.
 */
function loadInCluster(kc: KubeConfig, env: Readonly<Record<string, string | undefined>>, root: string): void {
  const host = env['KUBERNETES_SERVICE_HOST']!;
  const port = env['KUBERNETES_SERVICE_PORT'] ?? '443';
  const scheme = ['80', '8080', '8001'].includes(port) ? 'http' : 'https';
  const server = `${scheme}://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  const namespaceFile = `${root}${SERVICE_ACCOUNT_DIR}/namespace`;
  const namespace = existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : undefined;
  kc.loadFromOptions({
    clusters: [{ name: 'in-cluster', server, caFile: `${root}${SERVICE_ACCOUNT_DIR}/ca.crt`, skipTLSVerify: false }],
    users: [{ name: 'service-account', authProvider: { name: 'tokenFile', config: { tokenFile: `${root}${IN_CLUSTER_TOKEN}` } } }],
    contexts: [{ name: 'in-cluster', cluster: 'in-cluster', user: 'service-account', ...(namespace ? { namespace } : {}) }],
    currentContext: 'in-cluster',
  });
}
