import { describe, expect, it } from 'vitest';
import { UsageError } from '../../errors.js';
import type { LoadPlan } from '../types.js';
import { createBuiltinGenerator } from './builtin-generator.js';

const base: LoadPlan = {
  url: 'http://127.0.0.1:9/',
  method: 'GET',
  headers: {},
  rate: 10,
  durationMs: 1000,
  timeoutMs: 1000,
  maxInFlight: 10,
  versionHeader: 'x-version',
};

describe('createBuiltinGenerator plan checks', () => {
  it('is registered under the name "builtin"', () => {
    expect(createBuiltinGenerator().name).toBe('builtin');
  });

  it.each<[string, Partial<LoadPlan>, RegExp]>([
    ['zero rate', { rate: 0 }, /rate/],
    ['infinite rate', { rate: Number.POSITIVE_INFINITY }, /rate/],
    ['negative duration', { durationMs: -1 }, /duration/],
    ['zero timeout', { timeoutMs: 0 }, /timeout/],
    ['no in-flight slot', { maxInFlight: 0 }, /maxInFlight/],
    ['a relative url', { url: '/productpage' }, /invalid url/],
    ['a non-http url', { url: 'ftp://127.0.0.1/' }, /http or https/],
  ])('rejects %s with a UsageError before sending anything', async (_name, over, message) => {
    const run = () => createBuiltinGenerator().run({ ...base, ...over }, () => {}, AbortSignal.abort());
    await expect(run()).rejects.toThrow(UsageError);
    await expect(run()).rejects.toThrow(message);
  });

  it('resolves at once with nothing scheduled when the signal is already aborted', async () => {
    const samples: unknown[] = [];
    const summary = await createBuiltinGenerator().run(base, (s) => samples.push(s), AbortSignal.abort());
    expect(summary).toMatchObject({ scheduled: 0, completed: 0, failed: 0, dropped: 0 });
    expect(samples).toHaveLength(0);
  });
});
