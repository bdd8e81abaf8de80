import { describe, expect, it } from 'vitest';
import { fileKindOfText } from './file-kind.js';

describe('fileKindOfText', () => {
  it('reads the top-level kind, plain, quoted or commented', () => {
    expect(fileKindOfText('apiVersion: x\nkind: GameDay\n', 'a.yaml')).toEqual({ kind: 'GameDay' });
    expect(fileKindOfText('kind: "Experiment" # the usual\n', 'a.yaml')).toEqual({ kind: 'Experiment' });
    expect(fileKindOfText("kind: 'GameDay'\n", 'a.yaml')).toEqual({ kind: 'GameDay' });
  });

  it('ignores nested kind lines (a manifest or an SLO) and takes a file without one for an experiment', () => {
    expect(fileKindOfText('spec:\n  slos:\n    - kind: latency\n', 'a.yaml')).toEqual({ kind: 'Experiment' });
    expect(fileKindOfText('', 'a.yaml')).toEqual({ kind: 'Experiment' });
  });

  it('locates an unknown kind and names the kinds it accepts', () => {
    const read = fileKindOfText('apiVersion: mesh-exp.dev/v1alpha1\nkind: Gameday\n', 'day.yaml');
    expect(read.problem).toMatchObject({ file: 'day.yaml', line: 2, col: 7, path: 'kind', message: 'unknown kind "Gameday": mesh-exp runs files of kind Experiment or GameDay' });
  });
});
