import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperimentFile } from '../experiment/validate.js';
import { readManifests } from '../istio/manifests.js';
import { checkServing } from './serving-check.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** A shipped experiment and its manifests, as validate reads them (without the serving check). */
async function shipped(name: string) {
  const loaded = await loadExperimentFile(`experiments/${name}`, { cwd: ROOT });
  const read = await readManifests(loaded.experiment.spec.local!.manifests!, path.join(ROOT, 'experiments'), { displayDir: 'experiments' });
  return { experiment: loaded.experiment, manifests: read.set, origins: read.origins };
}

describe('checkServing: what a provider-local run would refuse once started', () => {
  it('finds nothing in the shipped experiments', async () => {
    for (const name of ['canary.yaml', 'canary-bad.yaml', 'fault-abort.yaml', 'fault-delay.yaml', 'mirror.yaml']) {
      expect(checkServing(await shipped(name)), name).toEqual([]);
    }
  });

  it('refuses a target route the shift would change the other shares of (the provider preflight), at the manifest', async () => {
    const input = await shipped('canary.yaml');
    const vs = input.manifests.virtualServices.find((v) => v.metadata.name === 'reviews')!;
    const route = vs.spec.http!.find((r) => r.name === 'reviews-main')!;
    route.route!.push({ destination: { host: 'reviews', subset: 'v3' }, weight: 0 });
    input.manifests.destinationRules.find((d) => d.spec.host === 'reviews')!.spec.subsets!.push({ name: 'v3', labels: { version: 'v3' } });
    const problems = checkServing(input);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: expect.stringMatching(/^experiments\/manifests\//), line: expect.any(Number) });
    expect(problems[0]!.message).toMatch(/has destinations other than/);
  });

  it('refuses a step whose rendered VirtualService the mesh would not serve, naming the step', async () => {
    const input = await shipped('fault-abort.yaml');
    // Past the schema (which refuses it at its line): the mesh's compile must still catch it.
    input.experiment.spec.traffic.fault!.match = [{ queryParams: { u: { prefix: 'a' } } }];
    const problems = checkServing(input);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]!.message).toMatch(/^as step 1 \(.*\) renders it: .*prefix is not supported/);
    expect(problems[0]!.hint).toMatch(/traffic section/);
  });
});
