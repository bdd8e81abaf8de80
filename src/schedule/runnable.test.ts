/**
 * What `mesh-exp schedule` asks of a GameDay (test/fixtures/schedule/gameday/day.yaml): every file
 * of every experiment with their relative layout, the providers of every experiment with the day's
 * defaults filled in, the sum of their planned durations, and the `run` of the game-day file.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../test/support/cli.js';
import { UsageError } from '../errors.js';
import { loadGameDayFile } from '../experiment/gameday-validate.js';
import { loadExperimentFile } from '../experiment/validate.js';
import type { KubeObject } from '../kube/custom-objects.js';
import { collectFiles } from './files.js';
import { commandOf, filesOf, GAMEDAY_EXPERIMENT_MARGIN_MS, nameOf, notifyTargetsOf, plannedMsOf, podNotesOf, providersOf, type Runnable } from './runnable.js';
import { buildSchedule } from './schedule.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/schedule');
const gameDay = async (): Promise<Runnable> => ({ kind: 'GameDay', loaded: await loadGameDayFile('gameday/day.yaml', { cwd: FIXTURES }) });
const experiment = async (file: string): Promise<Runnable> => ({ kind: 'Experiment', loaded: await loadExperimentFile(file, { cwd: FIXTURES }) });

describe('a GameDay as a runnable', () => {
  it('is named by its metadata.name and runs with `run` of the game-day file', async () => {
    const day = await gameDay();
    expect(nameOf(day)).toBe('weekly-game-day');
    expect(commandOf('files/gameday/day.yaml', { json: false })).toEqual(['run', 'files/gameday/day.yaml', '--no-progress']);
    expect(commandOf('files/gameday/day.yaml', { json: true })).toEqual(['run', 'files/gameday/day.yaml', '--no-progress', '--output', 'json']);
  });

  it('files: the game-day file first, then each experiment\'s (path entries, their data and bodies, inline entries\' manifests), each once', async () => {
    const refs = await filesOf(await gameDay());
    const rel = (abs: string) => path.relative(FIXTURES, abs);
    expect(refs.map((f) => [rel(f.abs), f.written, f.field])).toEqual([
      ['gameday/day.yaml', 'day.yaml', 'the game-day file'],
      ['game/experiment.yaml', '../game/experiment.yaml', 'spec.experiments[0].path'],
      ['common/rows.csv', '../common/rows.csv', 'spec.experiments[0] (../game/experiment.yaml): spec.load.data.file'],
      ['game/bodies/order.json', 'bodies/order.json', 'spec.experiments[0] (../game/experiment.yaml): spec.load.requests[0].bodyFile'],
      ['gameday/fault.yaml', 'fault.yaml', 'spec.experiments[1].path'],
      // fault.yaml's load (the day's defaults.load) names the same body and data files: not twice.
      ['local/manifests/reviews-destination-rule.yaml', '../local/manifests/reviews-destination-rule.yaml', 'spec.experiments[2] (inline): spec.local.manifests[0]'],
      ['local/manifests/reviews-virtual-service.yaml', '../local/manifests/reviews-virtual-service.yaml', 'spec.experiments[2] (inline): spec.local.manifests[0]'],
    ]);
  });

  it('the ConfigMap\'s layout keeps the relative paths: each experiment\'s files resolve from where the game day names it', async () => {
    const laid = await collectFiles(await filesOf(await gameDay()));
    expect(laid.entry).toBe('gameday/day.yaml');
    expect(laid.files.map((f) => f.path).sort()).toEqual([
      'common/rows.csv',
      'game/bodies/order.json',
      'game/experiment.yaml',
      'gameday/day.yaml',
      'gameday/fault.yaml',
      'local/manifests/reviews-destination-rule.yaml',
      'local/manifests/reviews-virtual-service.yaml',
    ]);
    const day = parse(laid.files.find((f) => f.path === 'gameday/day.yaml')!.bytes.toString()) as { spec: { experiments: Array<{ path?: string; experiment?: { spec: { local: { manifests: string[] } } } }> } };
    const layout = new Set(laid.files.map((f) => f.path));
    for (const e of day.spec.experiments) {
      if (e.path !== undefined) expect(layout).toContain(path.posix.join('gameday', e.path));
      else for (const m of e.experiment!.spec.local.manifests) expect(laid.files.some((f) => f.path.startsWith(`${path.posix.join('gameday', m)}/`))).toBe(true);
    }
  });

  it('providers: every experiment\'s, with the day\'s defaults.namespace where an experiment sets none', async () => {
    expect(providersOf(await gameDay())).toEqual([
      { experiment: 'weekly-canary', provider: 'istio', namespace: 'storefront' },
      { experiment: 'checkout-fault', provider: 'istio', namespace: 'checkout' },
      { experiment: 'local-canary', provider: 'local', namespace: 'default' },
    ]);
  });

  it('planned duration: the sum of the experiments\', plus a margin for each after the first', async () => {
    const day = await gameDay();
    const each = day.kind === 'GameDay' ? day.loaded.experiments.map((e) => plannedMsOf({ kind: 'Experiment', loaded: e.loaded })) : [];
    // Two 1 s steps; a 3 s fault; two 2 s steps.
    expect(each).toEqual([2000, 3000, 4000]);
    expect(plannedMsOf(day)).toBe(9000 + 2 * GAMEDAY_EXPERIMENT_MARGIN_MS);
    expect(plannedMsOf(await experiment('game/experiment.yaml'))).toBe(2000);
  });

  it('pod notes: each experiment\'s, once', async () => {
    expect(podNotesOf(await gameDay())).toEqual([]);
  });

  it('schedules as one CronJob: a Role per namespace of its istio experiments, the day\'s deadline, the day\'s file run', async () => {
    const { objects, notes } = await buildSchedule(await gameDay(), { cron: '0 3 * * 1', image: 'mesh-exp:test', reports: { kind: 'create', size: '1Gi' } });
    expect(objects.map((o: KubeObject) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'ServiceAccount storefront/weekly-game-day',
      'Role checkout/weekly-game-day',
      'RoleBinding checkout/weekly-game-day',
      'Role storefront/weekly-game-day',
      'RoleBinding storefront/weekly-game-day',
      'ConfigMap storefront/weekly-game-day',
      'PersistentVolumeClaim storefront/weekly-game-day-reports',
      'CronJob storefront/weekly-game-day',
    ]);
    expect(notes).toEqual([]);
    const cron = objects.find((o) => o.kind === 'CronJob')!.spec as { jobTemplate: { spec: { activeDeadlineSeconds: number; template: { spec: { containers: Array<{ args: string[] }> } } } } };
    // (9 s + 2 min) × 1.2 + 10 min, rounded up.
    expect(cron.jobTemplate.spec.activeDeadlineSeconds).toBe(755);
    expect(cron.jobTemplate.spec.template.spec.containers[0]!.args).toEqual(['run', 'files/gameday/day.yaml', '--no-progress']);
  });

  it('an experiment named by an absolute path is refused (it would not point into the mount), naming the entry', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-runnable-'));
    try {
      const text = await readFile(path.join(FIXTURES, 'gameday/day.yaml'), 'utf8');
      const file = path.join(dir, 'day.yaml');
      await writeFile(file, text.replace('path: ../game/experiment.yaml', `path: ${path.join(FIXTURES, 'game/experiment.yaml')}`).replace('path: fault.yaml', `path: ${path.join(FIXTURES, 'gameday/fault.yaml')}`).replace('[../local/manifests]', `[${path.join(FIXTURES, 'local/manifests')}]`));
      const day: Runnable = { kind: 'GameDay', loaded: await loadGameDayFile(file, { cwd: dir }) };
      const err = await collectFiles(await filesOf(day)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).message).toMatch(/^spec\.experiments\[0\]\.path is an absolute path \(\/.*game\/experiment\.yaml\)/);
      expect((err as UsageError).hint).toMatch(/game day's experiments and inline experiments' files to the game-day file/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('notify targets: the day\'s own, then every experiment\'s, named by its entry; the pod gets each source once', async () => {
    const day: Runnable = { kind: 'GameDay', loaded: await loadGameDayFile('notify/gameday.yaml', { cwd: FIXTURES }) };
    expect(notifyTargetsOf(day)).toEqual([
      { urlFrom: { env: 'DAY_WEBHOOK_URL' }, dir: path.join(FIXTURES, 'notify'), field: 'spec.notify[0]' },
      { urlFrom: { env: 'SLACK_WEBHOOK_URL' }, dir: path.join(FIXTURES, 'notify'), field: 'spec.experiments[0] (experiment.yaml): spec.notify[0]' },
      { urlFrom: { file: 'secrets/webhook-url' }, dir: path.join(FIXTURES, 'notify'), field: 'spec.experiments[0] (experiment.yaml): spec.notify[1]' },
      { urlFrom: { env: 'SLACK_WEBHOOK_URL' }, dir: path.join(FIXTURES, 'notify'), field: 'spec.experiments[1] (inline): spec.notify[0]' },
    ]);
    const { objects } = await buildSchedule(day, { cron: '@daily', image: 'mesh-exp:test', reports: { kind: 'none' } });
    const pod = (objects.find((o) => o.kind === 'CronJob')!.spec as { jobTemplate: { spec: { template: { spec: { containers: Array<{ env?: Array<{ name: string }> }> } } } } }).jobTemplate.spec.template.spec;
    expect(pod.containers[0]!.env?.map((e) => e.name)).toEqual(['DAY_WEBHOOK_URL', 'SLACK_WEBHOOK_URL']);
  });
});
