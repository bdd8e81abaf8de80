import { describe, expect, it } from 'vitest';
import { ExitCode, UsageError } from '../errors.js';
import { checkCron, checkTimeZone } from './cron.js';

const refusal = (expr: string) => {
  try {
    checkCron(expr);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(ExitCode.INVALID_INPUT);
    return (err as Error).message;
  }
  throw new Error(`"${expr}" was accepted`);
};

describe('checkCron', () => {
  it.each([
    ['0 3 * * 1', '0 3 * * 1'],
    ['  */15  0-6/2 1,15 JAN-mar  mon-FRI ', '*/15 0-6/2 1,15 JAN-mar mon-FRI'],
    ['0 0 ? * ?', '0 0 ? * ?'],
    ['59 23 31 12 6', '59 23 31 12 6'],
    ['5/10 * * * 0', '5/10 * * * 0'],
    ['@Daily', '@daily'],
    ['@hourly', '@hourly'],
  ])('accepts "%s"', (expr, normalised) => {
    expect(checkCron(expr)).toBe(normalised);
  });

  it.each([
    ['0 3 * *', /expected 5 fields \(minute hour day-of-month month day-of-week\), got 4/],
    ['0 3 * * 1 2', /got 6/],
    ['', /got 0/],
    ['60 3 * * 1', /field 1 \(minute\) "60": 60 is out of range 0-59/],
    ['0 24 * * 1', /field 2 \(hour\) "24": 24 is out of range 0-23/],
    ['0 3 0 * 1', /field 3 \(day-of-month\) "0": 0 is out of range 1-31/],
    ['0 3 * 13 1', /field 4 \(month\) "13": 13 is out of range 1-12/],
    ['0 3 * * 7', /field 5 \(day-of-week\) "7": 7 is out of range 0-6 \(Sunday is 0\)/],
    ['0 3 * * mo', /field 5 \(day-of-week\) "mo": "mo" is not a number or a name \(sun, mon/],
    ['0 3 * foo 1', /field 4 \(month\) "foo": "foo" is not a number or a name/],
    ['0 x * * 1', /field 2 \(hour\) "x": "x" is not a number$/],
    ['*/0 3 * * 1', /field 1 \(minute\) "\*\/0": the step "0" of "\*\/0" is not a whole number from 1/],
    ['1/2/3 3 * * 1', /more than one "\/"/],
    ['0 5-3 * * 1', /field 2 \(hour\) "5-3": the range "5-3" ends before it starts/],
    ['0 1-2-3 * * 1', /"1-2-3" is not a value or a range/],
    ['0 3,,4 * * 1', /field 2 \(hour\) "3,,4": has an empty list item/],
    ['? 3 * * 1', /field 1 \(minute\) "\?"/],
    ['-1 3 * * 1', /field 1 \(minute\) "-1"/],
    ['@every 1h', /got 2/],
    ['@fortnightly', /unknown descriptor "@fortnightly"/],
    ['CRON_TZ=UTC 0 3 * * 1', /a time zone prefix is not accepted/],
  ])('refuses "%s", naming the field', (expr, message) => {
    expect(refusal(expr)).toMatch(message);
  });
});

describe('checkTimeZone', () => {
  it('accepts IANA names and refuses unknown names and offsets', () => {
    expect(checkTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(checkTimeZone('Etc/UTC')).toBe('Etc/UTC');
    expect(() => checkTimeZone('Mars/Olympus')).toThrow(/not a time zone name/);
    expect(() => checkTimeZone('+01:00')).toThrow(/time zone name/);
  });
});
