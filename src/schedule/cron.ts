/**
 * The `--cron` check: a CronJob schedule as Kubernetes parses it (robfig/cron's standard parser: five
 * fields, or a descriptor such as "@daily"), refused here with the field named instead of by the API
 * server at apply time. No time zone prefix (CRON_TZ=, TZ=): the API server refuses it too; the
 * CronJob's `timeZone` (`--time-zone`) says it instead.
 */
import { UsageError } from '../errors.js';

interface CronField {
  /** Its name in messages. */
  name: string;
  /** Lowest value. */
  min: number;
  /** Highest value. */
  max: number;
  /** Names accepted for values (case-insensitive), index + min = value. */
  names?: readonly string[];
  /** Whether "?" (any) is accepted, as in the day fields. */
  question?: boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** The five fields, in order. */
export const CRON_FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, question: true },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  // robfig/cron takes 0–6 only: Sunday is 0, and 7 is refused (unlike Vixie cron).
  { name: 'day-of-week', min: 0, max: 6, names: DAYS, question: true },
];

/** The descriptors Kubernetes accepts in place of five fields. */
export const CRON_DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

const EXAMPLE = 'e.g. --cron "0 3 * * 1" (Mondays at 03:00): minute hour day-of-month month day-of-week';

/** What is wrong with one field's text, or undefined. */
function fieldProblem(text: string, field: CronField): string | undefined {
  const value = (v: string): number | string => {
    const named = field.names?.indexOf(v.toLowerCase()) ?? -1;
    if (named >= 0) return named + field.min;
    if (!/^\d+$/.test(v)) return `"${v}" is not a number${field.names ? ` or a name (${field.names.join(', ')})` : ''}`;
    const n = Number(v);
    if (n < field.min || n > field.max) return `${n} is out of range ${field.min}-${field.max}${field.name === 'day-of-week' && n === 7 ? ' (Sunday is 0)' : ''}`;
    return n;
  };
  for (const part of text.split(',')) {
    if (part === '') return 'has an empty list item';
    const [range, step, extra] = part.split('/');
    if (extra !== undefined) return `"${part}" has more than one "/"`;
    if (step !== undefined && (!/^\d+$/.test(step) || Number(step) < 1)) return `the step "${step}" of "${part}" is not a whole number from 1`;
    if (range === '*' || (range === '?' && field.question)) continue;
    const ends = range!.split('-');
    if (ends.length > 2 || ends.some((e) => e === '')) return `"${range}" is not a value or a range a-b`;
    const [lo, hi] = ends.map(value);
    if (typeof lo === 'string') return lo;
    if (typeof hi === 'string') return hi;
    if (hi !== undefined && hi < lo!) return `the range "${range}" ends before it starts`;
  }
  return undefined;
}

/**
 * Checks a CronJob schedule; throws a UsageError (exit 2) naming the field and what is wrong.
 * @returns the schedule, trimmed and with its fields separated by one space
 */
export function checkCron(expression: string): string {
  const fail = (message: string, hint = EXAMPLE): never => {
    throw new UsageError(`--cron "${expression}": ${message}`, { hint });
  };
  const fields = expression.trim().split(/\s+/).filter(Boolean);
  if (/^(CRON_)?TZ=/.test(fields[0] ?? '')) fail('a time zone prefix is not accepted in a CronJob schedule', 'give the time zone with --time-zone, e.g. --time-zone Europe/Berlin');
  if (fields.length === 1 && fields[0]!.startsWith('@')) {
    if (!CRON_DESCRIPTORS.includes(fields[0]!.toLowerCase())) fail(`unknown descriptor "${fields[0]}"`, `use five fields or one of ${CRON_DESCRIPTORS.join(', ')}`);
    return fields[0]!.toLowerCase();
  }
  if (fields.length !== CRON_FIELDS.length) fail(`expected ${CRON_FIELDS.length} fields (${CRON_FIELDS.map((f) => f.name).join(' ')}), got ${fields.length}`);
  for (const [i, field] of CRON_FIELDS.entries()) {
    const problem = fieldProblem(fields[i]!, field);
    if (problem) fail(`field ${i + 1} (${field.name}) "${fields[i]}": ${problem}`);
  }
  return fields.join(' ');
}

/** Checks an IANA time zone name (the CronJob's `timeZone`); throws a UsageError (exit 2) when the runtime does not know it. */
export function checkTimeZone(zone: string): string {
  try {
    // Node's ICU knows the IANA database the API server also validates against.
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new UsageError(`--time-zone "${zone}" is not a time zone name`, { hint: 'give an IANA name such as Etc/UTC or Europe/Berlin' });
  }
  // Intl also takes offsets ("+01:00") that the API server refuses.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) throw new UsageError(`--time-zone "${zone}" is not an IANA time zone name`, { hint: 'give a name such as Etc/UTC or Europe/Berlin, not an offset' });
  return zone;
}
