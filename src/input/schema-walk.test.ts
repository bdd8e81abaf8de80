import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { experimentSchema } from '../experiment/schema.js';
import { allowedKeysAt, dataAt, descriptionAt, schemaAt, unwrap } from './schema-walk.js';

describe('allowedKeysAt', () => {
  it('looks through optional, default and prefault wrappers', () => {
    expect(allowedKeysAt(experimentSchema, ['spec', 'traffic', 'shift'], {})).toEqual([
      'steps', 'stepWeight', 'maxWeight', 'interval', 'promote',
    ]);
    expect(allowedKeysAt(experimentSchema, ['spec', 'load'], {})).toContain('maxInFlight');
    expect(allowedKeysAt(experimentSchema, ['spec', 'local', 'backends', 0, 'demo', 'latency'], {})).toEqual(['median', 'p99']);
  });

  it('picks the discriminated-union branch the data names, else offers every branch', () => {
    const data = { spec: { slos: [{ kind: 'error-rate' }, { kind: 'latency' }, { kind: 'nope' }] } };
    expect(allowedKeysAt(experimentSchema, ['spec', 'slos', 0], data)).toEqual(['kind', 'name', 'subject', 'max']);
    expect(allowedKeysAt(experimentSchema, ['spec', 'slos', 1], data)).toEqual(['kind', 'name', 'subject', 'percentile', 'max']);
    expect(allowedKeysAt(experimentSchema, ['spec', 'slos', 2], data)).toEqual(['kind', 'name', 'subject', 'max', 'percentile', 'builtin', 'query', 'min', 'confidence', 'allowedIncrease', 'criticalIncrease', 'flag']);
  });

  it('walks through records and arrays of Istio matches', () => {
    const path = ['spec', 'traffic', 'match', 0, 'headers', 'end-user'];
    expect(allowedKeysAt(experimentSchema, path, {})).toEqual(['exact', 'prefix', 'regex']);
  });

  it('returns [] where there is no object', () => {
    expect(allowedKeysAt(experimentSchema, ['spec', 'load', 'rate'], {})).toEqual([]);
    expect(allowedKeysAt(experimentSchema, ['spec', 'nope', 'x'], {})).toEqual([]);
  });
});

describe('schemaAt / unwrap', () => {
  it('reaches the input side of a transforming pipe', () => {
    const interval = schemaAt(experimentSchema, ['spec', 'traffic', 'shift', 'interval'], {});
    const input = unwrap(interval!);
    expect(input._zod.def.type).toBe('string');
    expect(z.safeParse(input, '10s').success).toBe(true);
    expect(z.safeParse(input, '10 seconds').success).toBe(false);
  });
});

describe('descriptionAt', () => {
  it('finds the description on any wrapper layer, without its @default note', () => {
    expect(descriptionAt(experimentSchema, ['metadata', 'name'], {})).toBe(
      'Name of the experiment; names the report directory reports/<name>-<timestamp>/.',
    );
    expect(descriptionAt(experimentSchema, ['spec', 'load', 'rate'], {})).toBe('Open-model arrival rate, requests per second; above 0, at most 100000. Not with stages.');
  });
});

describe('dataAt', () => {
  it('follows keys and indices, undefined when absent', () => {
    const data = { a: [{ b: 1 }] };
    expect(dataAt(data, ['a', 0, 'b'])).toBe(1);
    expect(dataAt(data, ['a', 3, 'b'])).toBeUndefined();
    expect(dataAt(data, ['x'])).toBeUndefined();
  });
});
