/**
 * `mesh-exp schedule` through the CLI (in-process): help, the YAML it prints, and its usage errors
 * (exit 2, a message and a hint, never a stack trace) — a bad --cron before any file is read; and a
 * provider-local schedule (an experiment, and a game day) run as its pod would run it (the cluster
 * case is kube/schedule.test.ts).
 */
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../../../src/cli/program.js';
import { createCaptureStream, createContext } from '../../../src/context.js';
import { runCliInProcess } from '../../support/cli.js';
import { layOutScheduledPod, type ScheduledPodSpec } from '../../support/scheduled-pod.js';

const FILE = 'test/fixtures/schedule/game/experiment.yaml';
const usage = (out: { code: number; stderr: string }) => {
  expect(out.code).toBe(2);
  expect(out.stderr).not.toMatch(/^\s+at /m);
  return out.stderr;
};

describe('mesh-exp schedule (CLI)', () => {
  it('--help shows examples, the objects and the exit codes', async () => {
    const out = await runCliInProcess(['schedule', '--help']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/\$ mesh-exp schedule gameday\.yaml --cron "0 3 \* \* 1"/);
    expect(out.stdout).toMatch(/--reports-pvc <claim>/);
    expect(out.stdout).toMatch(/--notify-secret <name>/);
    expect(out.stdout).toMatch(/the Role gets no access to Secrets/);
    expect(out.stdout).toMatch(/Exit codes: 0 printed or applied; 2 invalid file or flags/);
  });

  it('prints the objects as multi-document YAML, each valid YAML with apiVersion, kind, name and namespace', async () => {
    const out = await runCliInProcess(['schedule', FILE, '--cron', '@weekly', '--no-pvc']);
    expect(out.code, out.stderr).toBe(0);
    const docs = parseAllDocuments(out.stdout).map((d) => {
      expect(d.errors).toEqual([]);
      return d.toJS() as { apiVersion: string; kind: string; metadata: { name: string; namespace: string } };
    });
    expect(docs.map((d) => d.kind)).toEqual(['ServiceAccount', 'Role', 'RoleBinding', 'ConfigMap', 'CronJob']);
    for (const d of docs) expect(d.metadata).toMatchObject({ name: 'weekly-canary', namespace: 'storefront' });
  });

  it.each([
    [['--cron', '0 3 * * 1 *'], /--cron "0 3 \* \* 1 \*": expected 5 fields/],
    [['--cron', '0 3 * * Mo'], /field 5 \(day-of-week\) "Mo"/],
    [['--cron', '0 3 * * 1', '--no-pvc', '--reports-pvc', 'r'], /--no-pvc and --reports-pvc contradict each other/],
    [['--cron', '0 3 * * 1', '--dry-run'], /--dry-run goes with --apply/],
    [['--cron', '0 3 * * 1', '--name', 'Weekly'], /--name "Weekly" is not a Kubernetes name/],
    [['--cron', '0 3 * * 1', '--notify-secret', 'Hooks!'], /--notify-secret "Hooks!" is not a Kubernetes name/],
    [['--cron', '0 3 * * 1', '--apply', '--kubeconfig', '/nonexistent/kubeconfig'], /kubeconfig not found: \/nonexistent\/kubeconfig/],
  ])('refuses %j with exit 2', async (flags, message) => {
    expect(usage(await runCliInProcess(['schedule', FILE, ...flags]))).toMatch(message);
  });

  it('spec.notify: exit 0 with no webhook URL here (env empty), the Secret and its keys named on stderr with the kubectl command, never a value', async () => {
    const out = await runCliInProcess(['schedule', 'test/fixtures/schedule/notify/experiment.yaml', '--cron', '@daily', '-n', 'ops', '--notify-secret', 'shop-hooks']);
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stderr.split('\n').filter((l) => l.includes('Secret'));
    expect(lines).toEqual([
      'note: spec.notify: the CronJob reads the webhook URLs from Secret ops/shop-hooks, keys SLACK_WEBHOOK_URL, secrets_webhook-url (mesh-exp never reads them); create it with: kubectl -n ops create secret generic shop-hooks --from-literal=SLACK_WEBHOOK_URL=<webhook URL> --from-literal=secrets_webhook-url=<webhook URL>',
    ]);
    expect(out.stdout + out.stderr).not.toContain('LOCAL-ONLY');
    // The same file is refused by validate where the secrets are missing: schedule does not ask for them.
    const validate = await runCliInProcess(['validate', 'test/fixtures/schedule/notify/experiment.yaml']);
    expect(validate.code).toBe(2);
    expect(validate.stdout + validate.stderr).toMatch(/spec\.notify\[0\]\.urlFrom\.env: environment variable SLACK_WEBHOOK_URL is not set/);
  });

  it('checks --cron before reading the file', async () => {
    const err = usage(await runCliInProcess(['schedule', 'no/such/file.yaml', '--cron', '0 25 * * *']));
    expect(err).toMatch(/field 2 \(hour\) "25": 25 is out of range 0-23/);
    expect(err).not.toMatch(/no\/such\/file/);
  });

  it('a game day with invalid experiments is refused with each problem located, as `run` refuses it', async () => {
    const err = usage(await runCliInProcess(['schedule', 'test/fixtures/schedule/gameday/missing.yaml', '--cron', '@daily']));
    // Every problem of every experiment at once: fault.yaml without the load its day's defaults would give, and the file that is not there.
    expect(err).toMatch(/^test\/fixtures\/schedule\/gameday\/fault\.yaml:\d+:\d+ spec\.load\.url: required with provider istio/m);
    expect(err).toMatch(/^test\/fixtures\/schedule\/gameday\/no-such-experiment\.yaml:1:1 file not found/m);
  });

  it('without --cron commander refuses (exit 2)', async () => {
    expect(usage(await runCliInProcess(['schedule', FILE]))).toMatch(/required option '--cron <expression>'/);
  });
});

describe('a scheduled provider-local run, laid out as its pod and run (no cluster: the mesh runs in the pod)', () => {
  it('--no-pvc: the container\'s command runs the mounted experiment (manifests from a directory) and prints result.json to the log', async () => {
    const out = await runCliInProcess(['schedule', 'test/fixtures/schedule/local/experiment.yaml', '--cron', '@hourly', '--no-pvc']);
    expect(out.code, out.stderr).toBe(0);
    const docs = parseAllDocuments(out.stdout).map((d) => d.toJS() as { kind: string; data?: Record<string, string>; spec?: { jobTemplate: { spec: { template: { spec: ScheduledPodSpec } } } } });
    const pod = docs.find((d) => d.kind === 'CronJob')!.spec!.jobTemplate.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    const laid = await layOutScheduledPod(pod, docs.find((d) => d.kind === 'ConfigMap')!);
    try {
      // No KUBERNETES_SERVICE_HOST, no token: a local run needs neither.
      const [stdout, stderr] = [createCaptureStream(), createCaptureStream()];
      const code = await runCli(laid.args, createContext({ cwd: laid.cwd, env: {}, stdout, stderr }));
      expect(code, stderr.text()).toBe(0);
      const result = JSON.parse(stdout.text()) as { outcome: string };
      expect(result.outcome).toBe('promoted');
    } finally {
      await rm(laid.root, { recursive: true, force: true });
    }
  }, 60_000);

  it('a game day, --no-pvc: the container\'s command runs the mounted day (its experiment file and the inline one) and prints the day\'s result.json to the log', async () => {
    const out = await runCliInProcess(['schedule', 'test/fixtures/schedule/local/gameday.yaml', '--cron', '@hourly', '--no-pvc']);
    expect(out.code, out.stderr).toBe(0);
    const docs = parseAllDocuments(out.stdout).map((d) => d.toJS() as { kind: string; metadata: { name: string }; data?: Record<string, string>; spec?: { jobTemplate: { spec: { template: { spec: ScheduledPodSpec } } } } });
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['ServiceAccount/local-game-day', 'ConfigMap/local-game-day', 'CronJob/local-game-day']);
    const pod = docs.find((d) => d.kind === 'CronJob')!.spec!.jobTemplate.spec.template.spec;
    expect(pod.containers[0]!.args).toEqual(['run', 'files/gameday.yaml', '--no-progress', '--output', 'json']);
    const laid = await layOutScheduledPod(pod, docs.find((d) => d.kind === 'ConfigMap')!);
    try {
      const [stdout, stderr] = [createCaptureStream(), createCaptureStream()];
      const code = await runCli(laid.args, createContext({ cwd: laid.cwd, env: {}, stdout, stderr }));
      expect(code, stderr.text()).toBe(0);
      const day = JSON.parse(stdout.text()) as { name: string; verdict: string; experiments: Array<{ name: string; status: string }> };
      expect(day).toMatchObject({ name: 'local-game-day', verdict: 'pass' });
      expect(day.experiments.map((e) => [e.name, e.status])).toEqual([
        ['local-canary', 'passed'],
        ['local-fault', 'passed'],
      ]);
    } finally {
      await rm(laid.root, { recursive: true, force: true });
    }
  });
});
