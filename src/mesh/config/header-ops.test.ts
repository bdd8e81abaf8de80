import { describe, expect, it } from 'vitest';
import { createDiagnostics } from './diagnostics.js';
import { applyHeaderOps, compileHeaderOps, type HeaderMap } from './header-ops.js';

describe('header operations', () => {
  it('remove first, then set (overwrite), then add (append), names lowercased', () => {
    const d = createDiagnostics();
    const ops = compileHeaderOps({ set: { 'X-Env': 'canary', 'x-keep': 'new' }, add: { 'x-tag': 'b', 'x-new': '1' }, remove: ['X-Secret', 'x-keep'] }, 'h', d)!;
    const h: HeaderMap = { 'x-env': 'prod', 'x-tag': 'a', 'x-secret': 's', 'x-keep': 'old' };
    applyHeaderOps(h, ops);
    expect(h).toEqual({ 'x-env': 'canary', 'x-tag': ['a', 'b'], 'x-keep': 'new', 'x-new': '1' });
    expect(d.errors).toEqual([]);
  });

  it('appends to an existing list', () => {
    const h: HeaderMap = { 'set-cookie': ['a=1'] };
    applyHeaderOps(h, compileHeaderOps({ add: { 'set-cookie': 'b=2' } }, 'h', createDiagnostics())!);
    expect(h['set-cookie']).toEqual(['a=1', 'b=2']);
  });

  it('nothing to do compiles to undefined', () => {
    expect(compileHeaderOps({}, 'h', createDiagnostics())).toBeUndefined();
    expect(compileHeaderOps(undefined, 'h', createDiagnostics())).toBeUndefined();
  });

  it('refuses framing headers and invalid names', () => {
    const d = createDiagnostics();
    compileHeaderOps({ set: { 'content-length': '1', 'bad name': 'x', 'x-split': 'a\r\nx-injected: 1' }, remove: ['host'] }, 'spec.http[0].headers.request', d);
    expect(d.errors.map((e) => e.path)).toEqual([
      'spec.http[0].headers.request.set.content-length',
      'spec.http[0].headers.request.set.bad name',
      'spec.http[0].headers.request.set.x-split',
      'spec.http[0].headers.request.remove',
    ]);
  });
});
