import { describe, expect, it } from 'vitest';
import { canonicalHeaderKey, describeK6ErrorCode } from './k6-names.js';

describe('canonicalHeaderKey', () => {
  it('spells header names as Go textproto does', () => {
    expect(canonicalHeaderKey('x-version')).toBe('X-Version');
    expect(canonicalHeaderKey('X-VERSION')).toBe('X-Version');
    expect(canonicalHeaderKey('x-b3-traceid')).toBe('X-B3-Traceid');
    expect(canonicalHeaderKey('content--type')).toBe('Content--Type');
    expect(canonicalHeaderKey('version')).toBe('Version');
  });

  it('leaves names with non-token characters as written', () => {
    expect(canonicalHeaderKey('x version')).toBe('x version');
    expect(canonicalHeaderKey('x-vérsion')).toBe('x-vérsion');
  });
});

describe('describeK6ErrorCode', () => {
  it('names the common codes and keeps the others', () => {
    expect(describeK6ErrorCode('1050')).toBe('timeout');
    expect(describeK6ErrorCode('1212')).toBe('connect');
    expect(describeK6ErrorCode('1601')).toBe('k6-1601');
  });
});
