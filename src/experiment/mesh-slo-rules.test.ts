import { describe, expect, it } from 'vitest';
import { formatPath } from '../input/locate.js';
import { checkRules, ruleInputFromSpec } from './rules.js';
import { experimentSpecSchema, type ExperimentInput } from './schema.js';

type SpecInput = ExperimentInput['spec'];

const local = (): SpecInput => ({
  target: { virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v2' },
  traffic: { shift: { steps: [50] } },
  local: { manifests: ['./istio'] },
});
const istio = (): SpecInput => ({
  target: { provider: 'istio', virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v2' },
  traffic: { shift: { steps: [50] } },
  load: { url: 'http://127.0.0.1:8080/' },
});

const rules = (spec: SpecInput): string[] => checkRules(ruleInputFromSpec(experimentSpecSchema.parse(spec))).map((p) => `${formatPath(p.path)}: ${p.message}`);

describe('mesh-view SLO rules', () => {
  const slos: SpecInput['slos'] = [
    { kind: 'response-flag', flag: 'UO', max: '30%' },
    { kind: 'ejections', min: 1 },
    { kind: 'retry-success-rate', min: '90%' },
  ];

  it('accepts them with provider local (its mesh\'s admin is read)', () => {
    expect(rules({ ...local(), slos })).toEqual([]);
  });

  it('refuses them with a cluster provider without metrics.prometheus, and accepts them with it', () => {
    expect(rules({ ...istio(), slos })).toEqual([0, 1, 2].map((i) => `spec.slos[${i}].kind: ${i === 1 ? 'an' : 'a'} ${slos[i]!.kind} SLO reads the mesh's own metrics, and with provider istio only Prometheus has them`));
    expect(rules({ ...istio(), slos, metrics: { prometheus: { address: 'http://127.0.0.1:9090' } } })).toEqual([]);
  });

  it('refuses a flag given before any host is chosen for subject canary or stable, not for all or a flag with a version', () => {
    const spec = { ...local(), slos: [{ kind: 'response-flag', flag: 'UO', subject: 'canary', max: '30%' }, { kind: 'response-flag', flag: 'URX', subject: 'canary', max: '1%' }] } as SpecInput;
    expect(rules(spec)).toEqual(['spec.slos[0].subject: UO (upstream overflow (circuit breaking)) is given before any canary endpoint is chosen, so the mesh never files it under a version: this check would count nothing']);
  });

  it('refuses UT, UF and UC for subject canary with provider local only (its mesh answers them without a version)', () => {
    const ut = [{ kind: 'response-flag', flag: 'UT', subject: 'canary', max: '1%' }] as SpecInput['slos'];
    expect(rules({ ...local(), slos: ut })).toEqual(['spec.slos[0].subject: the local mesh answers UT (upstream request timeout) itself and files that answer under no version: this check would count nothing']);
    expect(rules({ ...istio(), slos: ut, metrics: { prometheus: {} } })).toEqual([]);
  });

  it('tells two response-flag SLOs apart by their flag, not as duplicates', () => {
    const two = [{ kind: 'response-flag', flag: 'UO', max: '30%' }, { kind: 'response-flag', flag: 'UH', max: '1%' }] as SpecInput['slos'];
    expect(rules({ ...local(), slos: two })).toEqual([]);
  });

  it('allows them with distributed load, where only Prometheus can judge', () => {
    const spec = { ...istio(), slos: [slos[1]!], metrics: { prometheus: {} }, load: { url: 'http://reviews:9080/', distributed: { replicas: 1 }, generator: 'vegeta', rate: 10 } } as SpecInput;
    expect(rules(spec).filter((l) => l.includes('slos'))).toEqual([]);
    // ... while a kind judged on this process's own requests is still refused there.
    expect(rules({ ...spec, slos: [{ kind: 'error-rate', max: '1%' }] }).filter((l) => l.includes('slos'))).toEqual(['spec.slos[0].kind: kind error-rate judges the requests this process sends, and with load.distributed it sends none']);
  });
});
