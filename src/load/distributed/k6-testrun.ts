/**
 * Generator k6, distributed: a ConfigMap with the step's generated k6 script (`generateK6Script`,
 * one constant-arrival-rate step at the TOTAL rate: the k6-operator splits it over its
 * `parallelism` runners with k6 execution segments) and a k6-operator TestRun (`k6.io/v1alpha1`).
 * The CRD defaults `paused` to "true" (the operator then waits to be told to start), so it is
 * written "false"; `cleanup: post` lets the operator remove its runner Jobs once the test ends.
 */
import { generateK6Script } from '../k6/script.js';
import { podResources } from './pod-resources.js';
import { podMetadata, stepMetadata } from './step-meta.js';
import { type ClusterObject, type DistributedBuilder, type DistributedStepInput, loadObjectRbac } from './types.js';

/** The script's file name in the ConfigMap. */
export const K6_SCRIPT_FILE = 'load.js';

/** Builds the ConfigMap and the TestRun of one step. */
export function buildK6TestRun(input: DistributedStepInput): ClusterObject[] {
  const { name, spec, plan } = input;
  const metadata = stepMetadata(input);
  const script = generateK6Script(input.experiment, { url: plan.url, steps: [{ rate: plan.rate, loadMs: plan.durationMs, idleMs: 0 }] });
  const configMap: ClusterObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { [K6_SCRIPT_FILE]: script } };
  const resources = podResources(spec);
  const testRun: ClusterObject = {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata,
    spec: {
      parallelism: spec.replicas,
      script: { configMap: { name, file: K6_SCRIPT_FILE } },
      paused: 'false',
      cleanup: 'post',
      runner: {
        ...(spec.image !== undefined ? { image: spec.image } : {}),
        metadata: podMetadata(input),
        ...(resources ? { resources } : {}),
      },
    },
  };
  return [configMap, testRun];
}

/** The builder registered as "k6". */
export function createK6TestRunBuilder(): DistributedBuilder {
  return { generator: 'k6', build: buildK6TestRun, rbac: loadObjectRbac({ group: 'k6.io', plural: 'testruns' }) };
}
