/**
 * The runner's side of distributed load (`load.distributed`): the DistributedLoad of the run
 * (the cluster reached through the same kubeconfig and context as the provider), and the journal
 * hooks that make every object it creates recoverable — its `cluster-object` entry is fsync'd
 * before the create, its `cluster-object-deleted` after the delete.
 */
import type { Context } from '../context.js';
import { createClusterObjects, type ClusterObjects } from '../kube/cluster-objects.js';
import { loadKubeConfig } from '../kube/kubeconfig.js';
import { createDistributedLoad, type DistributedHooks, type DistributedLoad } from '../load/distributed/distributed-load.js';
import { createDefaultDistributedRegistry } from '../load/distributed/registry.js';
import { distributedStepInput } from '../load/distributed/step-input.js';
import type { LoadGenerator } from '../load/types.js';
import { OWNER_ANNOTATION } from '../traffic/ownership.js';
import type { Journal } from './journal.js';
import type { RunOptions, RunnableExperiment } from './types.js';

/** The run's distributed load, or undefined when the experiment has none. */
export function distributedLoadOf(loaded: RunnableExperiment, ctx: Context, options: RunOptions): DistributedLoad | undefined {
  const { experiment } = loaded;
  const { load } = experiment.spec;
  if (!load.distributed || load.generator === 'none') return undefined;
  let client: Promise<ClusterObjects> | undefined;
  const objects = () =>
    (client ??= loadKubeConfig({ ...options.kube, env: ctx.env, cwd: ctx.cwd }).then((k) => createClusterObjects(k.kubeConfig)));
  // Tells this run's objects apart from an earlier run's of the same experiment.
  const runId = ctx.clock.now().toString(36);
  return createDistributedLoad({
    objects,
    builder: createDefaultDistributedRegistry().get(load.generator)(),
    stepInput: (plan, index) => distributedStepInput(experiment, runId, plan, index),
  });
}

/** The hooks journaling each object of the run's distributed load. */
export function journalHooks(journal: Journal): DistributedHooks {
  return {
    beforeCreate: (ref) => journal.append({ type: 'cluster-object', ...ref, owner: journal.path }),
    afterDelete: (ref) => journal.append({ type: 'cluster-object-deleted', ...ref, how: 'run' }),
  };
}

/** The generator of a started run: its objects carry the run's ownership mark (the journal's path). */
export function distributedGenerator(distributed: DistributedLoad, journal: Journal): LoadGenerator {
  return distributed.generator({ [OWNER_ANNOTATION]: journal.path }, journalHooks(journal));
}
