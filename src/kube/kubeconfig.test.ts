import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { loadKubeConfig } from './kubeconfig.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mesh-exp-kubeconfig-'));
const config = (name: string, server: string, namespace?: string) => {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, [
    'apiVersion: v1', 'kind: Config', `current-context: ${name}`,
    'clusters:', `- name: ${name}`, '  cluster:', `    server: ${server}`,
    'users:', `- name: ${name}`, '  user:', '    token: abc',
    'contexts:', `- name: ${name}`, '  context:', `    cluster: ${name}`, `    user: ${name}`, ...(namespace ? [`    namespace: ${namespace}`] : []),
  ].join('\n'));
  return file;
};
const a = config('alpha', 'https://127.0.0.1:6443', 'shop');
const b = config('beta', 'https://10.0.0.1:6443');

describe('loadKubeConfig', () => {
  it('reads --kubeconfig, with its current context, server and namespace', async () => {
    const out = await loadKubeConfig({ kubeconfig: a, env: {} });
    expect(out).toMatchObject({ context: 'alpha', server: 'https://127.0.0.1:6443', namespace: 'shop', source: a });
  });

  it('merges $KUBECONFIG like kubectl (first file\'s current context) and switches with --context', async () => {
    expect((await loadKubeConfig({ env: { KUBECONFIG: `${a}:${b}` } })).context).toBe('alpha');
    expect((await loadKubeConfig({ env: { KUBECONFIG: `${a}:${b}` }, context: 'beta' })).server).toBe('https://10.0.0.1:6443');
  });

  it('falls back to ~/.kube/config', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'mesh-exp-home-'));
    const { mkdirSync, copyFileSync } = await import('node:fs');
    mkdirSync(path.join(home, '.kube'));
    copyFileSync(b, path.join(home, '.kube', 'config'));
    expect((await loadKubeConfig({ env: { HOME: home } })).context).toBe('beta');
  });

  it('says what was looked for when nothing is found, the file is missing or the context unknown', async () => {
    await expect(loadKubeConfig({ env: { HOME: dir } })).rejects.toThrow(/no kubeconfig: none given, KUBECONFIG is unset/);
    await expect(loadKubeConfig({ kubeconfig: path.join(dir, 'nope.yaml'), env: {} })).rejects.toThrow(/kubeconfig not found: .*nope.yaml \(from --kubeconfig\)/);
    const err = await loadKubeConfig({ kubeconfig: a, context: 'gamma', env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toBe(`context "gamma" is not in ${a}`);
    expect((err as UsageError).hint).toBe('contexts there: alpha');
  });

  it('rejects a file that is not a kubeconfig, naming it', async () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'clusters: [unterminated');
    await expect(loadKubeConfig({ kubeconfig: bad, env: {} })).rejects.toThrow(new RegExp(`cannot read kubeconfig ${bad}`));
  });
});
