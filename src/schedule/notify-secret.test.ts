/**
 * The notify Secret of a scheduled run: the container's env (secretKeyRef) and the Secret's volume
 * items derived from spec.notify, the refusals (a reserved absolute path, two sources on one key),
 * and what must not change: no secret value in any object (the local URL file is never read, the
 * environment never consulted) and the Role exactly as without notify targets.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { REPO_ROOT } from '../../test/support/cli.js';
import { UsageError } from '../errors.js';
import { loadExperimentFile } from '../experiment/validate.js';
import type { KubeObject } from '../kube/custom-objects.js';
import type { ScheduledFiles } from './files.js';
import { notifySecretLine, notifySecretOf } from './notify-secret.js';
import type { NotifyRef, Runnable } from './runnable.js';
import { buildSchedule, type ScheduleOptions } from './schedule.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/schedule');
const runnable = async (file: string): Promise<Runnable> => ({ kind: 'Experiment', loaded: await loadExperimentFile(file, { cwd: FIXTURES }) });
const base: ScheduleOptions = { cron: '0 3 * * 1', image: 'registry.example.com/mesh-exp:0.1.0', reports: { kind: 'create', size: '1Gi' } };
type Container = { env?: unknown[]; volumeMounts: Array<{ name: string; mountPath: string; subPath?: string }> };
type Volume = { name: string; configMap?: unknown; projected?: { defaultMode: number; sources: Array<{ configMap?: { name: string; items: Array<{ path: string }> }; secret?: { name: string; items: unknown[] } }> } };
const podOf = (objects: KubeObject[]) =>
  (objects.find((o) => o.kind === 'CronJob')!.spec as { jobTemplate: { spec: { template: { spec: { containers: Container[]; volumes: Volume[] } } } } }).jobTemplate.spec.template.spec;

describe('the notify Secret of a scheduled run', () => {
  it('env from secretKeyRef, the URL file projected where it resolves in the mount, the Secret named after the objects', async () => {
    const { objects, notifySecret, namespace } = await buildSchedule(await runnable('notify/experiment.yaml'), base);
    const pod = podOf(objects);
    expect(pod.containers[0]!.env).toEqual([{ name: 'SLACK_WEBHOOK_URL', valueFrom: { secretKeyRef: { name: 'notified-canary-notify', key: 'SLACK_WEBHOOK_URL' } } }]);
    const files = pod.volumes.find((v) => v.name === 'files')!.projected!;
    expect(files.sources[1]).toEqual({ secret: { name: 'notified-canary-notify', items: [{ key: 'secrets_webhook-url', path: 'notify/secrets/webhook-url', mode: 0o440 }] } });
    // Relative to the experiment file in the mount, as resolve-url resolves it there.
    const entry = files.sources[0]!.configMap!.items.map((i) => i.path).find((p) => p.endsWith('experiment.yaml'))!;
    expect(path.posix.join(path.posix.dirname(entry), 'secrets/webhook-url')).toBe('notify/secrets/webhook-url');
    expect(notifySecret?.keys).toEqual(['SLACK_WEBHOOK_URL', 'secrets_webhook-url']);
    expect(notifySecretLine(notifySecret!, namespace)).toBe(
      'spec.notify: the CronJob reads the webhook URLs from Secret storefront/notified-canary-notify, keys SLACK_WEBHOOK_URL, secrets_webhook-url (mesh-exp never reads them); ' +
        'create it with: kubectl -n storefront create secret generic notified-canary-notify --from-literal=SLACK_WEBHOOK_URL=<webhook URL> --from-literal=secrets_webhook-url=<webhook URL>',
    );
    const named = await buildSchedule(await runnable('notify/experiment.yaml'), { ...base, notifySecret: 'shop-hooks' });
    expect(JSON.stringify(podOf(named.objects))).not.toContain('notified-canary-notify');
    expect(named.notifySecret?.name).toBe('shop-hooks');
    const unused = await buildSchedule(await runnable('game/experiment.yaml'), { ...base, notifySecret: 'shop-hooks' });
    expect(unused.notes).toContain('--notify-secret shop-hooks: the file has no spec.notify, so the pod reads no Secret');
  });

  it('no secret value in any object, the Role as without notify targets, and no access to Secrets', async () => {
    const notified = await buildSchedule(await runnable('notify/experiment.yaml'), base);
    const text = notified.objects.map((o) => stringify(o)).join('---\n');
    // The local URL file holds this; it must stay out of the ConfigMap and everything else.
    expect(text).not.toContain('LOCAL-ONLY');
    expect(text).not.toContain('hooks.example.invalid');
    expect(notified.objects.find((o) => o.kind === 'ConfigMap')!['data']).not.toHaveProperty(['03-notify_secrets_webhook-url']);
    expect(Object.keys(notified.objects.find((o) => o.kind === 'ConfigMap')!['data'] as object)).toHaveLength(3);
    const plain = await buildSchedule(await runnable('game/experiment.yaml'), base);
    const rules = (r: { objects: KubeObject[] }) => r.objects.filter((o) => o.kind === 'Role').map((o) => o['rules']);
    expect(rules(notified)).toEqual(rules(plain));
    expect(JSON.stringify(rules(notified))).not.toContain('secrets');
    // Without notify targets nothing changes: a plain ConfigMap volume, no env, no Secret.
    expect(plain.notifySecret).toBeUndefined();
    expect(podOf(plain.objects).containers[0]!.env).toBeUndefined();
    expect(podOf(plain.objects).volumes.find((v) => v.name === 'files')!.configMap).toBeDefined();
  });
});

describe('notifySecretOf', () => {
  const files: ScheduledFiles = { files: [{ key: '00-exp.yaml', path: 'game/exp.yaml', bytes: Buffer.from('') }], entry: 'game/exp.yaml', root: '/work', size: 0 };
  const ref = (urlFrom: NotifyRef['urlFrom'], i = 0): NotifyRef => ({ urlFrom, dir: '/work/game', field: `spec.notify[${i}]` });
  const refusal = (refs: NotifyRef[]) => {
    try {
      notifySecretOf(refs, files, 'hooks');
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      return (err as Error).message;
    }
    throw new Error('accepted');
  };

  it('none without targets; one env entry and one item per source, however many targets share it', () => {
    expect(notifySecretOf([], files, 'hooks')).toBeUndefined();
    const s = notifySecretOf([ref({ env: 'SLACK' }), ref({ env: 'SLACK' }, 1), ref({ file: '../url' }, 2), ref({ file: './../game/../url' }, 3), ref({ file: '/etc/mesh-exp/hook.url' }, 4)], files, 'hooks')!;
    expect(s.env).toEqual([{ name: 'SLACK', key: 'SLACK' }]);
    // Relative: at the path it resolves to under the mount (the mount stands for /work); one file, one item.
    expect(s.files).toEqual([{ key: 'url', path: 'url' }]);
    // Absolute: mounted at that very path in the pod.
    expect(s.mounts).toEqual([{ key: 'etc_mesh-exp_hook.url', mountPath: '/etc/mesh-exp/hook.url' }]);
    expect(s.keys).toEqual(['SLACK', 'etc_mesh-exp_hook.url', 'url']);
  });

  it('refuses an absolute path under the pod\'s own mounts, and two sources on one key', () => {
    expect(refusal([ref({ file: '/mesh-exp/files/url' })])).toMatch(/spec\.notify\[0\]\.urlFrom\.file \/mesh-exp\/files\/url cannot be mounted in the scheduled pod: \/mesh-exp is the pod's own/);
    expect(refusal([ref({ file: '/tmp/url' })])).toMatch(/\/tmp is the pod's own/);
    expect(refusal([ref({ file: '/proc/../tmp/x' })])).toMatch(/\/tmp is the pod's own/);
    expect(refusal([ref({ file: 'a/url' }), ref({ file: 'a_url' }, 1)])).toMatch(/spec\.notify\[1\]\.urlFrom: file a_url would be key "a_url" of Secret hooks, which another notify target already uses for file game\/a\/url/);
    expect(refusal([ref({ env: 'url' }), ref({ file: 'url' }, 1)])).toMatch(/key "url" .* already uses for \$url/);
    expect(refusal([ref({ file: 'exp.yaml' })])).toMatch(/the notify URL file game\/exp\.yaml is also one of the run's files/);
  });
});
