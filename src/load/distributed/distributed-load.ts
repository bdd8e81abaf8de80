/**
 * The lifecycle of distributed load, as a LoadGenerator the runner drives like any other: for each
 * step, `run` creates the step's objects (each announced to `hooks.beforeCreate` first — the run
 * journals it, fsync'd, BEFORE the create, so a kill between the create and the journal cannot
 * leave an object nobody knows of), waits out the step's load (or the abort), then deletes them
 * (propagationPolicy Background: a Job's pods go with it) and tells `hooks.afterDelete`. No sample
 * comes back: the pods' requests are judged on the cluster's Prometheus. `close` deletes whatever
 * a failure left; `preflight`, before anything changes, checks the user may delete and get those
 * objects (an access review) and asks the API server to validate the first step's objects
 * (server-side dry run: which also needs "create").
 */
import type { ClusterObjects, ObjectRef } from '../../kube/cluster-objects.js';
import { withKubeRetry, type KubeRetryOptions } from '../../kube/retry.js';
import type { LoadGenerator, LoadPlan, LoadSummary } from '../types.js';
import type { ClusterObject, DistributedBuilder, DistributedStepInput } from './types.js';

/** What the run does around each create and delete. */
export interface DistributedHooks {
  /** Before `ref` is created (journal it). */
  beforeCreate(ref: ObjectRef): Promise<void>;
  /** Once `ref` is deleted or found gone. */
  afterDelete(ref: ObjectRef): Promise<void>;
}

/** Options of {@link createDistributedLoad}. */
export interface DistributedLoadOptions {
  /** The cluster client (connected on first use). */
  objects: () => Promise<ClusterObjects>;
  /** The generator's builder. */
  builder: DistributedBuilder;
  /** A step's input from its plan (`index`: 0-based count of run calls); annotations are added by the generator. */
  stepInput(plan: LoadPlan, index: number): Omit<DistributedStepInput, 'annotations'>;
  /** Backoff of the deletes while the API server is away. @default 60 s budget */
  retry?: KubeRetryOptions;
}

/** Distributed load: the generator, its preflight and its last-resort cleanup. */
export interface DistributedLoad {
  /** The objects of a step (what `mesh-exp plan` prints), without the ownership mark. */
  preview(plan: LoadPlan): ClusterObject[];
  /** Server-side dry run of the first step's objects. */
  preflight(plan: LoadPlan): Promise<void>;
  /** The generator for a run whose ownership mark is `annotations`, journaling through `hooks`. */
  generator(annotations: Record<string, string>, hooks: DistributedHooks): LoadGenerator;
  /** Deletes every object created and not yet deleted (idempotent). */
  close(): Promise<void>;
}

/** The reference of an object. */
export function refOf(o: ClusterObject): ObjectRef {
  return { apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name };
}

/** Creates the distributed load of a run. */
export function createDistributedLoad(options: DistributedLoadOptions): DistributedLoad {
  const live = new Map<string, { ref: ObjectRef; hooks: DistributedHooks }>();
  let steps = 0;
  const key = (r: ObjectRef) => `${r.apiVersion}/${r.kind}/${r.namespace}/${r.name}`;
  const remove = async (ref: ObjectRef, hooks: DistributedHooks) => {
    const objects = await options.objects();
    await withKubeRetry(() => objects.delete(ref), options.retry);
    live.delete(key(ref));
    await hooks.afterDelete(ref);
  };
  const removeAll = async (refs: { ref: ObjectRef; hooks: DistributedHooks }[]) => {
    const errors: unknown[] = [];
    // Reverse creation order: the Job (or TestRun) before the ConfigMap its pods read.
    for (const { ref, hooks } of [...refs].reverse()) await remove(ref, hooks).catch((err: unknown) => errors.push(err));
    if (errors.length) throw errors[0];
  };
  return {
    preview: (plan) => options.builder.build({ ...options.stepInput(plan, 0), annotations: {} }),
    async preflight(plan) {
      const objects = await options.objects();
      const built = options.builder.build({ ...options.stepInput(plan, 0), annotations: {} });
      // Load the run could create but not delete (or not read back in recover) would outlive it.
      for (const o of built) for (const verb of ['delete', 'get']) await objects.requireAllowed(verb, refOf(o));
      for (const o of built) await objects.create(o, { dryRun: true });
    },
    generator(annotations, hooks) {
      return {
        name: `${options.builder.generator} (distributed)`,
        async run(plan, _onSample, signal): Promise<LoadSummary> {
          const started = Date.now();
          const built = options.builder.build({ ...options.stepInput(plan, steps++), annotations });
          const mine: { ref: ObjectRef; hooks: DistributedHooks }[] = [];
          try {
            const objects = await options.objects();
            for (const o of built) {
              if (signal.aborted) break;
              const ref = refOf(o);
              await hooks.beforeCreate(ref);
              mine.push({ ref, hooks });
              live.set(key(ref), { ref, hooks });
              await objects.create(o);
            }
            await new Promise<void>((resolve) => {
              if (signal.aborted) return resolve();
              const timer = setTimeout(resolve, plan.durationMs);
              signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
            });
          } finally {
            await removeAll(mine);
          }
          return { scheduled: 0, completed: 0, failed: 0, dropped: 0, elapsedMs: Date.now() - started };
        },
      };
    },
    close: () => removeAll([...live.values()]),
  };
}
