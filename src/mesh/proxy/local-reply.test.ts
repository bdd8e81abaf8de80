import { describe, expect, it } from 'vitest';
import { joinFlags } from './local-reply.js';

describe('joinFlags', () => {
  it('"-" for none, one flag as is, several in Envoy\'s order', () => {
    expect(joinFlags([])).toBe('-');
    expect(joinFlags(['FI'])).toBe('FI');
    expect(joinFlags(['FI', 'DI'])).toBe('DI,FI');
    expect(joinFlags(['URX', 'UF'])).toBe('UF,URX');
    expect(joinFlags(['DI', 'UT'])).toBe('UT,DI');
    expect(joinFlags(['URX', 'UT'])).toBe('UT,URX');
    expect(joinFlags(['DC', 'DI'])).toBe('DI,DC');
  });
});
