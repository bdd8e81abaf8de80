/**
 * The local mesh's configuration taken from a Kubernetes API server, as istiod feeds Envoy: one
 * reflector per kind (VirtualService, DestinationRule, Gateway) in one namespace keeps the desired set;
 * after the initial lists, and after every change, `reconcile` decides what the mesh takes and
 * `applyConfig` swaps it in. An object the mesh cannot use is refused on its own (NACK): its last
 * accepted state keeps serving, and the refusal is logged and shown by /info and /config_dump until
 * a usable version of it arrives. Through an outage the mesh keeps serving the last good config;
 * the reflectors re-list with backoff and whatever changed meanwhile is caught up.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from '../../context.js';
import { formatProblem, type Problem } from '../../errors.js';
import { configOf, type KubeRecord, recordOf, type WatchedKind } from './kube-objects.js';
import { backoffDelay, type Reflector, type ReflectorOptions, type ResourceClient, startReflector } from './kube-reflector.js';
import { reconcile } from './reconcile.js';
import type { ConfigSource, MeshConfig } from '../types.js';

/** What the source drives: the mesh (`LocalMesh` has both). */
export interface ConfigTarget {
  /** Errors applying `config` would raise; empty when it would be accepted. */
  checkConfig(config: MeshConfig): Problem[];
  /** Puts `config` in force. */
  applyConfig(config: MeshConfig): Promise<void>;
}

/** Options of {@link createKubeSource}. */
export interface KubeSourceOptions {
  /** One client per watched kind, for `namespace`. */
  clients: Readonly<Record<WatchedKind, ResourceClient>>;
  /** API server URL (for /info and messages). */
  server: string;
  /** The namespace watched. */
  namespace: string;
  /** kubeconfig context in use (for /info). @default absent */
  context?: string;
  /** Where accepted changes, refusals and watch failures are logged. @default silent */
  logger?: Logger;
  /** Reflector backoff and timeouts. @default the reflector's defaults */
  reflector?: ReflectorOptions;
  /** Wall clock for the times /info shows, ms. @default Date.now */
  now?: () => number;
}

/** The last error the source saw. */
export interface SourceError {
  /** ISO time. */
  at: string;
  /** One line. */
  message: string;
  /** The problems of a refused object. @default absent */
  problems?: Problem[];
}

/** An object the mesh refused, with why. */
export interface RejectedObject {
  /** "VirtualService ns/name". */
  object: string;
  /** Its resourceVersion in the API server. */
  resourceVersion: string;
  /** What is wrong with it (or what its change breaks). */
  problems: Problem[];
}

/** A configuration source fed by the API server; `start` it once the mesh exists. */
export interface KubeSource extends ConfigSource {
  /** Starts listing and watching; changes go to `target`. */
  start(target: ConfigTarget): void;
  /** Resolves after the initial lists are applied (the moment /ready turns 200). */
  synced(): Promise<void>;
  /** Objects refused right now. */
  rejected(): RejectedObject[];
  /** Stops watching (the mesh keeps what is in force). */
  stop(): Promise<void>;
}

// Gateways too: a VirtualService bound to a Gateway is served on that Gateway's listeners, which open and close with it.
const KINDS: readonly WatchedKind[] = ['DestinationRule', 'VirtualService', 'Gateway'];

/** Creates the source (nothing runs before `start`). */
export function createKubeSource(o: KubeSourceOptions): KubeSource {
  const now = o.now ?? Date.now;
  const log = o.logger;
  const desired = new Map<string, KubeRecord>();
  let accepted = new Map<string, KubeRecord>();
  const refused = new Map<string, RejectedObject>();
  const listed = new Set<WatchedKind>();
  const watch = Object.fromEntries(KINDS.map((k) => [k, { state: 'listing', failures: 0 }])) as Record<WatchedKind, { state: string; failures: number }>;
  let lastError: SourceError | undefined;
  let target: ConfigTarget | undefined;
  let reflectors: Reflector[] = [];
  let isSynced = false;
  let stopped = false;
  let running = false;
  let dirty = false;
  let applyFailures = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let drainTimer: NodeJS.Timeout | undefined;
  let markSynced!: () => void;
  const syncedPromise = new Promise<void>((resolve) => (markSynced = resolve));

  const error = (message: string, problems?: Problem[]) => {
    lastError = { at: new Date(now()).toISOString(), message, ...(problems ? { problems } : {}) };
  };
  // DestinationRules first: a VirtualService change often needs the subset a DestinationRule change adds.
  const order = (a: string, b: string) => Number(b.startsWith('DestinationRule')) - Number(a.startsWith('DestinationRule')) || (a < b ? -1 : a > b ? 1 : 0);

  const reconcileOnce = async (t: ConfigTarget) => {
    const r = reconcile({
      accepted,
      desired,
      equal: (a, b) => isDeepStrictEqual(a.object, b.object),
      check: (c) => t.checkConfig(configOf(c.values())),
      order,
    });
    // An object equal to the accepted one (a status update, a re-list) takes the server's newer version.
    for (const [key, rec] of r.accepted) {
      const want = desired.get(key);
      if (want && want !== rec && isDeepStrictEqual(want.object, rec.object)) r.accepted.set(key, want);
    }
    if (r.changed) {
      try {
        await t.applyConfig(configOf(r.accepted.values()));
      } catch (err) {
        const ms = backoffDelay(applyFailures++, 250, 8000, Math.random);
        error(`could not apply the configuration from ${o.server}: ${(err as Error).message}`);
        log?.error(`kubernetes: ${lastError!.message}; the last good configuration stays in force, retrying in ${ms} ms`);
        retryTimer = setTimeout(schedule, ms);
        retryTimer.unref();
        return;
      }
      applyFailures = 0;
      const c = configOf(r.accepted.values());
      log?.info(`kubernetes: in force: ${c.virtualServices.length} VirtualService(s), ${c.destinationRules.length} DestinationRule(s), ${c.gateways?.length ?? 0} Gateway(s) from ${o.namespace}`);
    }
    accepted = r.accepted;
    noteRefusals(r.rejected);
    if (!isSynced) {
      isSynced = true;
      markSynced();
    }
  };

  const noteRefusals = (rejected: Map<string, Problem[]>) => {
    for (const [key, problems] of rejected) {
      const rv = desired.get(key)?.resourceVersion ?? accepted.get(key)?.resourceVersion ?? '';
      const before = refused.get(key);
      if (before && before.resourceVersion === rv && isDeepStrictEqual(before.problems, problems)) continue;
      refused.set(key, { object: key, resourceVersion: rv, problems });
      const keeps = accepted.has(key) ? (desired.has(key) ? 'its last accepted version stays in force' : 'it stays in force') : 'it is not served';
      const what = desired.has(key) ? `${key} (resourceVersion ${rv})` : `the deletion of ${key}`;
      error(`refused ${what}: ${keeps}`, problems);
      log?.warn(`kubernetes: refused ${what}; ${keeps}:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    }
    for (const key of [...refused.keys()]) {
      if (rejected.has(key)) continue;
      refused.delete(key);
      log?.info(`kubernetes: ${key} is ${desired.has(key) ? 'accepted' : 'gone'}; no longer refused`);
    }
  };

  // One reconcile at a time; changes arriving meanwhile are taken together by the next one.
  const drain = async () => {
    if (running) return;
    running = true;
    try {
      while (dirty && !stopped && target) {
        dirty = false;
        await reconcileOnce(target);
      }
    } finally {
      running = false;
    }
  };
  function schedule() {
    if (stopped || listed.size < KINDS.length) return;
    dirty = true;
    clearTimeout(retryTimer);
    if (running || drainTimer) return;
    // A macrotask later: a list's items and the events right behind it go in one push.
    drainTimer = setTimeout(() => {
      drainTimer = undefined;
      drain().catch((err: unknown) => log?.error(`kubernetes: ${(err as Error)?.stack ?? String(err)}`));
    }, 0);
    drainTimer.unref();
  }

  const handlersFor = (kind: WatchedKind) => ({
    replace(items: unknown[]) {
      for (const [key, rec] of desired) if (rec.kind === kind) desired.delete(key);
      for (const item of items) {
        const rec = recordOf(item, kind, o.namespace);
        desired.set(rec.label, rec);
      }
      if (watch[kind].failures) log?.info(`kubernetes: ${kind} list from ${o.server} works again (${items.length} object(s)); resynced`);
      watch[kind] = { state: 'watching', failures: 0 };
      listed.add(kind);
      schedule();
    },
    event(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: unknown) {
      const rec = recordOf(obj, kind, o.namespace);
      if (type === 'DELETED') desired.delete(rec.label);
      else desired.set(rec.label, rec);
      schedule();
    },
    failed(err: unknown, retryInMs: number) {
      const w = watch[kind];
      w.failures++;
      w.state = 'backoff';
      error(`${(err as Error)?.message ?? String(err)}`);
      // The first failure of a streak is a warning; the rest would repeat it every few seconds.
      const line = `kubernetes: ${lastError!.message}; serving the last good configuration, re-listing ${kind}s in ${retryInMs} ms`;
      if (w.failures === 1) log?.warn(line);
      else log?.debug(line);
    },
    expired() {
      watch[kind].state = 'listing';
      log?.debug(`kubernetes: ${kind} watch expired (410 Gone); re-listing`);
    },
  });

  return {
    kind: 'kubernetes',
    readOnlyReason: `this mesh takes its configuration from the Kubernetes API server ${o.server} (namespace ${o.namespace}): change the objects there (kubectl apply / patch)`,
    ready: () => isSynced,
    info: () => ({
      server: o.server,
      namespace: o.namespace,
      ...(o.context ? { context: o.context } : {}),
      synced: isSynced,
      watch: structuredClone(watch),
      rejected: [...refused.values()].map((r) => r.object),
      lastError: lastError ?? null,
    }),
    dump: () => ({
      kubernetes: {
        server: o.server,
        namespace: o.namespace,
        synced: isSynced,
        resourceVersions: Object.fromEntries([...accepted].map(([k, r]) => [k, r.resourceVersion])),
        rejected: [...refused.values()],
        lastError: lastError ?? null,
      },
    }),
    resourceVersionOf: (label) => accepted.get(label)?.resourceVersion,
    start(t) {
      // Invariant: the mesh starts its source once; a second start is a bug, not a user's mistake.
      if (target) throw new Error('the Kubernetes source is already started');
      target = t;
      reflectors = KINDS.map((kind) => startReflector(o.clients[kind], handlersFor(kind), o.reflector));
    },
    synced: () => syncedPromise,
    rejected: () => [...refused.values()],
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      clearTimeout(drainTimer);
      await Promise.all(reflectors.map((r) => r.stop()));
    },
  };
}
