import { describe, expect, it } from 'vitest';
import { createDiagnostics, objectLabel } from './diagnostics.js';

describe('diagnostics', () => {
  it('prefixes messages with the object and locates them when its origin is known', () => {
    const label = objectLabel('VirtualService', 'default', 'reviews');
    const root = createDiagnostics('', [], [], new Map([[label, { file: 'istio/vs.yaml', line: 12 }]]));
    root.forObject(label).error('spec.hosts', 'a VirtualService needs at least one host', 'add hosts');
    root.forObject('DestinationRule default/x').warn('spec.x', 'ignored');
    expect(root.errors).toEqual([{ path: 'spec.hosts', message: 'VirtualService default/reviews: a VirtualService needs at least one host', file: 'istio/vs.yaml', line: 12, hint: 'add hosts' }]);
    expect(root.warnings).toEqual([{ path: 'spec.x', message: 'DestinationRule default/x: ignored' }]);
  });
});
