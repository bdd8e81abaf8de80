/**
 * The TestRun CRD the Kubernetes tests install for k6-operator objects, against the real
 * kube-apiserver: the document from test/support/shared-fallback.ts (the k6-operator's own where a
 * checkout has it beside the repository) and the project's minimal stand-in both accept a TestRun as mesh-exp writes it
 * and refuse what the real schema refuses, so a test passing on the stand-in means the same thing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomObjects, type CustomObjects, type ResourceType } from '../../../src/kube/custom-objects.js';
import { KubeApiError } from '../../../src/kube/kube-error.js';
import { MINIMAL_TESTRUN_CRD, testRunCrd } from '../../support/shared-fallback.js';
import { type LocalKube, localKubeAvailable, startLocalKube } from '../../support/localkube.js';

const TEST_RUN: ResourceType = { group: 'k6.io', version: 'v1alpha1', plural: 'testruns', kind: 'TestRun' };
const testRun = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'k6.io/v1alpha1', kind: 'TestRun', metadata: { name }, spec });
const good = { parallelism: 4, arguments: '--out json', script: { configMap: { name: 'mesh-exp-load', file: 'load.js' } }, runner: { image: 'grafana/k6:2.2.0', env: [{ name: 'K6_NO_USAGE_REPORT', value: 'true' }] } };

const sources = [
  { name: 'the CRD the tests install', file: () => testRunCrd('the TestRun CRD test').file },
  { name: "the project's minimal stand-in", file: () => MINIMAL_TESTRUN_CRD },
];

describe.skipIf(!localKubeAvailable('the TestRun CRD tests', 'none')).each(sources)('TestRun CRD: $name', ({ file }) => {
  let kube: LocalKube;
  let objects: CustomObjects;
  const NS = 'load';
  beforeAll(async () => {
    kube = await startLocalKube({ crds: 'none', namespace: NS });
    await kube.installCrds([file()]);
    objects = await createCustomObjects(kube.kubeConfig('admin'));
  }, 120_000);
  afterAll(async () => kube?.dispose());

  const refusal = (name: string, spec: Record<string, unknown>) => objects.create(TEST_RUN, NS, testRun(name, spec)).catch((e: unknown) => e);

  it('accepts a TestRun as mesh-exp writes it, keeping every field and adding the operator\'s defaults', async () => {
    const created = await objects.create(TEST_RUN, NS, testRun('fine', good));
    // "paused" defaults to "true": the operator waits for it to be unpaused before starting the runners.
    expect(created.spec).toEqual({ ...good, paused: 'true', quiet: 'true', runner: { ...good.runner, disabled: false } });
  });

  it('refuses a TestRun without a script or parallelism (422, naming the field)', async () => {
    const err = await refusal('no-script', { parallelism: 1 });
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).status).toBe(422);
    expect((err as Error).message).toMatch(/spec\.script: Required value/);
    expect(String(await refusal('no-parallelism', { script: good.script }))).toMatch(/spec\.parallelism: Required value/);
  });

  it('refuses wrong types and values the operator does not know', async () => {
    expect(String(await refusal('text', { ...good, parallelism: 'four' }))).toMatch(/spec\.parallelism: Invalid value/);
    expect(String(await refusal('cleanup', { ...good, cleanup: 'always' }))).toMatch(/spec\.cleanup: Unsupported value/);
    expect(String(await refusal('cm', { ...good, script: { configMap: { file: 'x.js' } } }))).toMatch(/spec\.script\.configMap\.name: Required value/);
  });
});
