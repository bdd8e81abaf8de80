import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';

describe('public API (src/index.ts)', () => {
  it('exports the entry points embedders use', () => {
    for (const name of [
      'runCli',
      'createContext',
      'loadExperimentFile',
      'loadManifests',
      'createLocalMesh',
      'renderVirtualService',
      'createBuiltinGenerator',
      'createSampleRecorder',
      'evaluateChecks',
      'writeReports',
      'runExperiment',
      'planSteps',
      'recoverRun',
      'loadGameDayFile',
      'executeGameDay',
      'recoverGameDay',
      'createAttachProvider',
      'createAdminClient',
      'ExitCode',
      'createGameDayNotifications',
    ]) {
      expect(api, name).toHaveProperty(name);
    }
  });

  it('runs --version in-process', async () => {
    const out = api.createCaptureStream();
    const code = await api.runCli(['--version'], api.createContext({ stdout: out }));
    expect(code).toBe(0);
    expect(out.text().trim()).toBe(api.VERSION);
  });
});
