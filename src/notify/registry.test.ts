import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { NOTIFY_TYPES } from '../experiment/notify-schema.js';
import { createDefaultNotifyRegistry } from './registry.js';

describe('notify registry', () => {
  it('holds a format for every type the schema allows, in its order', () => {
    expect(createDefaultNotifyRegistry().names()).toEqual([...NOTIFY_TYPES]);
  });

  it('refuses an unknown type with a hint', () => {
    expect(() => createDefaultNotifyRegistry().get('slak')).toThrow(UsageError);
  });
});
