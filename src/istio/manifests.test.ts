import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError, formatProblem } from '../errors.js';
import { bookinfoDir as bookinfo } from '../../test/support/bookinfo.js';
import { loadManifests, readManifests } from './manifests.js';

/** Object names per Bookinfo file (read from the files by eye; the loader must agree). */
const BOOKINFO: Record<string, { vs: string[]; dr: string[] }> = {
  'destination-rule-all.yaml': { vs: [], dr: ['productpage', 'reviews', 'ratings', 'details'] },
  'destination-rule-reviews.yaml': { vs: [], dr: ['reviews'] },
  'virtual-service-all-v1.yaml': { vs: ['productpage', 'reviews', 'ratings', 'details'], dr: [] },
  'virtual-service-details-v2.yaml': { vs: ['details'], dr: [] },
  'virtual-service-ratings-test-delay.yaml': { vs: ['ratings'], dr: [] },
  'virtual-service-reviews-50-v3.yaml': { vs: ['reviews'], dr: [] },
  'virtual-service-reviews-test-v2.yaml': { vs: ['reviews'], dr: [] },
  'virtual-service-reviews-v3.yaml': { vs: ['reviews'], dr: [] },
};

describe('loadManifests on the Bookinfo-style fixtures', () => {
  it('covers every manifest of the fixture directory', () => {
    expect(readdirSync(bookinfo).filter((f) => f.endsWith('.yaml')).sort()).toEqual(Object.keys(BOOKINFO).sort());
  });

  it.each(Object.keys(BOOKINFO))('reads %s', async (file) => {
    const set = await loadManifests([file], bookinfo);
    expect(set.virtualServices.map((v) => v.metadata.name)).toEqual(BOOKINFO[file]!.vs);
    expect(set.destinationRules.map((r) => r.metadata.name)).toEqual(BOOKINFO[file]!.dr);
    expect(set.files).toEqual([path.join(bookinfo, file)]);
    for (const o of [...set.virtualServices, ...set.destinationRules]) expect(o.metadata.namespace).toBe('default');
  });

  it('keeps the fields the mesh needs (weights, matches, faults, subsets)', async () => {
    const set = await loadManifests(['virtual-service-reviews-50-v3.yaml', 'virtual-service-ratings-test-delay.yaml', 'destination-rule-all.yaml'], bookinfo);
    const reviews = set.virtualServices[0]!;
    expect(reviews.spec.http?.[0]?.route?.map((d) => [d.destination.subset, d.weight])).toEqual([['v1', 50], ['v3', 50]]);
    const ratings = set.virtualServices[1]!;
    expect(ratings.spec.http?.[0]?.match?.[0]?.headers).toEqual({ 'end-user': { exact: 'jason' } });
    expect(ratings.spec.http?.[0]?.fault?.delay).toEqual({ percentage: { value: 100 }, fixedDelay: '7s' });
    const rules = Object.fromEntries(set.destinationRules.map((r) => [r.metadata.name, (r.spec.subsets ?? []).map((s) => s.name)]));
    expect(rules['ratings']).toEqual(['v1', 'v2', 'v2-mysql', 'v2-mysql-vm']);
  });

  it('reports the objects the whole directory defines twice, naming both files', async () => {
    const result = await readManifests(['.'], bookinfo, { displayDir: 'bookinfo' });
    expect(result.set.files).toHaveLength(8);
    const lines = result.problems.map(formatProblem);
    // reviews is a DestinationRule in 2 files and a VirtualService in 4; details and ratings VirtualServices in 2 each.
    expect(lines.filter((l) => l.includes('DestinationRule default/reviews is defined twice'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('VirtualService default/reviews is defined twice'))).toHaveLength(3);
    expect(lines).toContain(
      'bookinfo/destination-rule-reviews.yaml:6:9 metadata.name: DestinationRule default/reviews is defined twice (first in bookinfo/destination-rule-all.yaml:14)\n' +
        '    hint: each object may appear once in the manifests; remove one of them',
    );
    expect(result.problems).toHaveLength(6);
  });
});

describe('readManifests', () => {
  let dir: string;
  const write = (name: string, text: string) => writeFile(path.join(dir, name), text);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-manifests-'));
    await mkdir(path.join(dir, 'mixed'));
    await mkdir(path.join(dir, 'empty'));
    await writeFile(path.join(dir, 'mixed', 'b.yml'), 'apiVersion: networking.istio.io/v1alpha3\nkind: DestinationRule\nmetadata: {name: b, namespace: shop}\nspec: {host: b}\n');
    await writeFile(path.join(dir, 'mixed', 'a.yaml'), '---\n# empty\n---\napiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata: {name: a}\nspec: {hosts: [a]}\n---\n');
    await writeFile(path.join(dir, 'mixed', 'notes.txt'), 'not yaml: [');
    await write('service-entry.yaml', 'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: se}\nspec: {}\n');
    await write('gateway.yaml', 'apiVersion: networking.istio.io/v1beta1\nkind: Gateway\nmetadata: {name: gw}\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n    - port: {number: 80, name: http, protocol: HTTP}\n      hosts: ["*.example.com"]\n');
    await write('bad-gateway.yaml', 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: bad}\nspec:\n  servers:\n    - port: {number: 0, protocol: HTTP}\n      hosts: []\n');
    await write('deployment.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n');
    await write('bad-version.yaml', 'apiVersion: networking.istio.io/v2\nkind: VirtualService\nmetadata: {name: x}\nspec: {}\n');
    await write('no-name.yaml', 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {}\nspec:\n  host: r\n  subsets:\n    - name: v1\n    - name: v1\n');
    await write('bad-route.yaml', 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r}\nspec:\n  http:\n    - route:\n        - destination: {subset: v1}\n          weight: -1\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads a directory in sorted order (yaml and yml only), skipping empty documents, defaulting the namespace', async () => {
    const { set, problems } = await readManifests(['mixed'], dir);
    expect(problems).toEqual([]);
    expect(set.files).toEqual([path.join(dir, 'mixed', 'a.yaml'), path.join(dir, 'mixed', 'b.yml')]);
    expect(set.virtualServices.map((v) => [v.metadata.name, v.metadata.namespace, v.apiVersion])).toEqual([['a', 'default', 'networking.istio.io/v1beta1']]);
    expect(set.destinationRules.map((r) => [r.metadata.name, r.metadata.namespace])).toEqual([['b', 'shop']]);
  });

  it('reports other kinds, other API groups and bad fields, located in the file that holds them', async () => {
    const files = ['service-entry.yaml', 'deployment.yaml', 'bad-version.yaml', 'no-name.yaml', 'bad-route.yaml'];
    const { set, problems } = await readManifests(files, dir, { displayDir: 'm' });
    expect(set.virtualServices).toEqual([]);
    expect(set.destinationRules).toEqual([]);
    expect(problems.map(formatProblem)).toEqual([
      'm/service-entry.yaml:2:7 kind: mesh-exp reads only VirtualService, DestinationRule, Gateway objects, not ServiceEntry\n' +
        '    hint: keep other objects (ServiceEntry, Deployment, ...) out of the manifests listed in spec.local.manifests',
      'm/deployment.yaml:2:7 kind: mesh-exp reads only VirtualService, DestinationRule, Gateway objects, not Deployment\n' +
        '    hint: keep other objects (ServiceEntry, Deployment, ...) out of the manifests listed in spec.local.manifests',
      'm/bad-version.yaml:1:13 apiVersion: expected one of "networking.istio.io/v1", "networking.istio.io/v1beta1", "networking.istio.io/v1alpha3", got the string "networking.istio.io/v2"\n' +
        '    hint: did you mean "networking.istio.io/v1"?',
      'm/no-name.yaml:3:1 metadata.name: required field is missing\n    hint: add "name:" under metadata. Name of the object.',
      'm/bad-route.yaml:7:11 spec.http[0].route[0].destination.host: required field is missing\n    hint: add "host:" under spec.http[0].route[0].destination. Destination service host.',
      'm/bad-route.yaml:8:19 spec.http[0].route[0].weight: must be at least 0, got -1',
    ]);
  });

  it('reads Gateways (v1beta1 too) and checks their servers', async () => {
    const { set, problems } = await readManifests(['gateway.yaml', 'bad-gateway.yaml'], dir, { displayDir: '.' });
    expect(set.gateways?.map((g) => [g.metadata.name, g.metadata.namespace, g.spec.servers?.[0]?.port.number])).toEqual([['gw', 'default', 80]]);
    expect(problems.map((p) => `${p.line}:${p.path}`)).toEqual(['6:spec.servers[0].port.number', '7:spec.servers[0].hosts']);
  });

  it('reports duplicate subset names', async () => {
    await write('dup-subset.yaml', 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: r}\nspec:\n  host: r\n  subsets:\n    - name: v1\n    - name: v1\n');
    const { problems } = await readManifests(['dup-subset.yaml'], dir, { displayDir: '.' });
    expect(problems.map(formatProblem)).toEqual(['dup-subset.yaml:8:13 spec.subsets[1].name: duplicate subset name "v1"']);
  });

  it('returns paths that cannot be read apart, with their index', async () => {
    const { unreadable } = await readManifests(['mixed', 'nope.yaml', 'empty'], dir, { displayDir: 'exp' });
    expect(unreadable).toEqual([
      { index: 1, path: 'nope.yaml', message: 'manifest file not found: exp/nope.yaml', hint: 'manifest paths are relative to the experiment file' },
      { index: 2, path: 'empty', message: 'no .yaml or .yml files in directory exp/empty' },
    ]);
  });

  it('applies the YAML safety limits', async () => {
    await write('big.yaml', `# ${'x'.repeat(300)}\n`);
    const { problems } = await readManifests(['big.yaml'], dir, { maxBytes: 100, displayDir: '.' });
    expect(problems.map((p) => p.message)).toEqual(['the file is 303 B, over the 100 B limit']);
  });

  it('loadManifests throws one ValidationError with every problem', async () => {
    const err = await loadManifests(['nope.yaml', 'service-entry.yaml'], dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).problems.map((p) => p.message)).toEqual([
      `manifest file not found: ${path.join(dir, 'nope.yaml')}`,
      'mesh-exp reads only VirtualService, DestinationRule, Gateway objects, not ServiceEntry',
    ]);
  });
});
