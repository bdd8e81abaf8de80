import { describe, expect, it } from 'vitest';
import { unionRules } from './policy-rules.js';

describe('unionRules', () => {
  it('merges the verbs of one resource and groups resources with the same verbs, sorted', () => {
    expect(
      unionRules([
        { apiGroups: ['batch'], resources: ['jobs'], verbs: ['delete', 'create'] },
        { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'get', 'delete'] },
        { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get'] },
        { apiGroups: ['networking.istio.io'], resources: ['virtualservices'], verbs: ['patch', 'get', 'list'] },
        { apiGroups: ['networking.istio.io'], resources: ['destinationrules'], verbs: ['list'] },
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
      ]),
    ).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'create', 'delete'] },
      { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'create', 'delete'] },
      { apiGroups: ['networking.istio.io'], resources: ['destinationrules'], verbs: ['list'] },
      { apiGroups: ['networking.istio.io'], resources: ['virtualservices'], verbs: ['get', 'list', 'patch'] },
    ]);
  });

  it('shares one rule between resources of a group that need the same verbs, and gives nothing for nothing', () => {
    expect(unionRules([
      { apiGroups: ['x.io'], resources: ['b'], verbs: ['get'] },
      { apiGroups: ['x.io'], resources: ['a'], verbs: ['get'] },
    ])).toEqual([{ apiGroups: ['x.io'], resources: ['a', 'b'], verbs: ['get'] }]);
    expect(unionRules([])).toEqual([]);
    expect(unionRules([{ apiGroups: ['x.io'], resources: ['a'], verbs: [] }])).toEqual([]);
  });
});
