/**
 * `mesh-exp schedule` in the fuzz suite: each case also prints its scheduled objects (never
 * `--apply`: nothing reaches a cluster) with a generated `--cron` and flags — valid cron
 * expressions built field by field, expressions broken in one known way, hostile strings — and
 * is held to the phase invariants plus these oracles: a cron known to be invalid is refused (exit 2,
 * naming --cron), an exit 0 prints YAML documents ending in a CronJob with that schedule, and
 * spec.notify's secrets are never asked for (schedule runs without them: no "is not set") nor
 * printed (the hook URL appears nowhere).
 */
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { NASTY_STRINGS } from './hostile-values.js';
import { FUZZ_HOOK_URL } from './notify-ops.js';

/** The schedule part of a case. */
export interface ScheduleCase {
  /** `--cron`. */
  cron: string;
  /** Whether the generator built it valid (true), broke it on purpose (false), or cannot say (undefined: a hostile string). */
  cronValid?: boolean;
  /** The other flags. */
  flags: string[];
}

const n = (min: number, max: number) => fc.integer({ min, max }).map(String);
/** One valid field: *, a value, a range, a list, with or without a step. */
const field = (min: number, max: number, names: readonly string[] = []) =>
  fc.oneof(
    fc.constant('*'),
    n(min, max),
    ...(names.length ? [fc.constantFrom(...names)] : []),
    fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
    fc.array(n(min, max), { minLength: 2, maxLength: 4 }).map((l) => l.join(',')),
    fc.tuple(fc.constantFrom('*', String(min)), fc.integer({ min: 1, max: max + 1 })).map(([a, s]) => `${a}/${s}`),
  );
const validCron = fc
  .tuple(field(0, 59), field(0, 23), field(1, 31), field(1, 12, ['JAN', 'dec']), field(0, 6, ['SUN', 'fri']))
  .map((f) => f.join(' '));
/** A valid expression broken in one way the validator must catch. */
const brokenCron = fc.oneof(
  fc.tuple(validCron, fc.integer({ min: 0, max: 4 }), fc.constantFrom('60', '99', '-1', 'x', '*/0', '1-', ',', '5-2', '1/2/3', '')).map(([c, i, bad]) => {
    const f = c.split(' ');
    // An empty field would only join the others: take it out instead (4 fields).
    if (bad === '') f.splice(i, 1);
    // 60 and 99 are out of range in every field; the others are malformed anywhere.
    else f[i] = bad;
    return f.join(' ');
  }),
  validCron.map((c) => `${c} *`),
  validCron.map((c) => `CRON_TZ=UTC ${c}`),
  fc.constantFrom('@every 1h', '@fortnightly', '0 3 * * 7'),
);

const flag = fc.oneof(
  fc.constant(['--no-pvc']),
  fc.tuple(fc.constant('--reports-pvc'), fc.oneof(fc.constant('game-day-reports'), fc.constantFrom(...NASTY_STRINGS))),
  fc.tuple(fc.constant('--reports-size'), fc.constantFrom('1Gi', '500Mi', 'lots', '', '1e3', '-1Gi')),
  fc.tuple(fc.constant('--time-zone'), fc.constantFrom('Europe/Berlin', 'Etc/UTC', 'Mars/Olympus', '+01:00', '../../etc/passwd')),
  fc.tuple(fc.constant('--name'), fc.oneof(fc.constantFrom('game-day', 'a'.repeat(52), 'a'.repeat(53), 'Game'), fc.constantFrom(...NASTY_STRINGS))),
  fc.tuple(fc.constant('-n'), fc.constantFrom('ops', 'Ops', 'a'.repeat(64), '')),
  fc.tuple(fc.constant('--image'), fc.constantFrom('registry.example.com/mesh-exp:1', 'Bad Image', 'x'.repeat(600))),
  fc.constant(['--dry-run']),
  fc.tuple(fc.constant('--notify-secret'), fc.oneof(fc.constantFrom('shop-hooks', 'a'.repeat(253), 'a'.repeat(254), 'Hooks', ''), fc.constantFrom(...NASTY_STRINGS))),
);

/** The arbitrary of a case's schedule part. */
export const scheduleCaseArbitrary: fc.Arbitrary<ScheduleCase> = fc.record({
  cron: fc.oneof(
    { arbitrary: validCron.map((cron) => ({ cron, cronValid: true })), weight: 6 },
    { arbitrary: brokenCron.map((cron) => ({ cron, cronValid: false })), weight: 3 },
    { arbitrary: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(...NASTY_STRINGS)).map((cron) => ({ cron })), weight: 1 },
  ),
  flags: fc.array(flag, { maxLength: 2 }).map((l) => l.flat()),
}).map(({ cron, flags }) => ({ ...cron, flags }));

/** `mesh-exp schedule`'s argv for the case (printing only). */
export function scheduleArgv(experiment: string, s: ScheduleCase): string[] {
  return ['schedule', experiment, '--cron', s.cron, ...s.flags];
}

/** The oracles of the schedule phase (the generic phase invariants are checked beside). */
export function scheduleViolations(s: ScheduleCase, out: { code?: number; stdout: string; stderr: string }): string[] {
  const v: string[] = [];
  if (out.code !== undefined && out.code !== 0 && out.code !== 2) v.push(`schedule: exit ${out.code}, but printing touches no cluster: 0 or 2 expected`);
  if (s.cronValid === false && out.code === 0) v.push(`schedule: the broken --cron ${JSON.stringify(s.cron)} was accepted`);
  // The cron is checked before anything else (commander's own refusals of it name the option too).
  if (s.cronValid === false && out.code === 2 && !out.stderr.includes('--cron')) {
    v.push(`schedule: the broken --cron ${JSON.stringify(s.cron)} was refused without naming --cron: ${JSON.stringify(out.stderr.slice(0, 200))}`);
  }
  // schedule never reads the webhook URLs: the pod gets them from a Secret.
  if (/environment variable \S+ is not set|cannot read the URL file/.test(out.stderr)) v.push(`schedule: asked for spec.notify's secrets: ${JSON.stringify(out.stderr.slice(0, 200))}`);
  if ((out.stdout + out.stderr).includes(FUZZ_HOOK_URL)) v.push('schedule: printed the webhook URL');
  if (out.code === 0) {
    const docs = parseAllDocuments(out.stdout);
    const last = docs.at(-1)?.toJS() as { kind?: string; spec?: { schedule?: string } } | undefined;
    if (docs.some((d) => d.errors.length > 0)) v.push('schedule: exit 0 but the output is not valid YAML');
    else if (last?.kind !== 'CronJob') v.push(`schedule: exit 0 but the last document is a ${String(last?.kind)}, not the CronJob`);
    else if (s.cronValid && last.spec?.schedule !== s.cron) v.push(`schedule: the CronJob's schedule is ${JSON.stringify(last.spec?.schedule)}, not ${JSON.stringify(s.cron)}`);
  }
  return v;
}
