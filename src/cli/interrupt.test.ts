import { describe, expect, it } from 'vitest';
import type { Phase } from '../context.js';
import { interruptFor, startupInterrupt } from './interrupt.js';

const PHASES: Phase[] = ['idle', 'changed', 'restoring', 'promoting', 'finishing', 'between-experiments', 'serving', 'recovering'];

describe('interruptFor', () => {
  it('stops at once where nothing is changed, saying so', () => {
    expect(interruptFor('idle', 'SIGTERM', false)).toEqual({ notice: '\ninterrupted by SIGTERM; nothing was changed\n', exitNow: true });
    expect(startupInterrupt('SIGINT')).toEqual({ notice: 'interrupted by SIGINT during start-up; nothing was started\n', exitNow: true });
  });

  it('lets a run restore once it changed the mesh, and only acknowledges a second signal', () => {
    expect(interruptFor('changed', 'SIGINT', false)).toEqual({ notice: '\nreceived SIGINT: restoring the mesh before exiting (Ctrl-C again will not skip it)\n', exitNow: false });
    for (const phase of ['changed', 'restoring'] as const) {
      expect(interruptFor(phase, 'SIGINT', true)).toEqual({ notice: 'received SIGINT again: still restoring the mesh, please wait\n', exitNow: false });
    }
    expect(interruptFor('restoring', 'SIGHUP', false).notice).toContain('the mesh is being restored; exiting when that is done');
    expect(interruptFor('promoting', 'SIGINT', false).notice).toContain('writing the promotion already decided');
  });

  it('never speaks of restoring where no restore is going on', () => {
    for (const phase of ['idle', 'promoting', 'finishing', 'between-experiments', 'serving', 'recovering'] as const) {
      for (const again of [false, true]) expect(interruptFor(phase, 'SIGINT', again).notice).not.toMatch(/restoring/);
    }
  });

  it('closes the standalone mesh on the first signal and exits on the second; stops a recover at once', () => {
    expect(interruptFor('serving', 'SIGINT', false).exitNow).toBe(false);
    expect(interruptFor('serving', 'SIGINT', true)).toEqual({ notice: 'received SIGINT again: exiting now\n', exitNow: true });
    expect(interruptFor('recovering', 'SIGINT', false)).toMatchObject({ exitNow: true });
    expect(interruptFor('recovering', 'SIGINT', false).notice).toContain('`mesh-exp recover` again finishes it');
  });

  it('between two experiments of a game day: skips the rest and writes the day\'s reports, not "the run is over"', () => {
    expect(interruptFor('between-experiments', 'SIGINT', false)).toEqual({ notice: '\nreceived SIGINT: between experiments: skipping the rest, writing the day\'s reports (Ctrl-C again exits at once)\n', exitNow: false });
    expect(interruptFor('between-experiments', 'SIGINT', true)).toEqual({ notice: 'received SIGINT again: exiting now; nothing is changed: `mesh-exp recover <game-day dir>` writes the day\'s reports\n', exitNow: true });
    expect(interruptFor('between-experiments', 'SIGTERM', false).notice).not.toContain('the run is over');
  });

  it('has one line for every phase and signal', () => {
    for (const phase of PHASES) {
      for (const again of [false, true]) {
        const { notice } = interruptFor(phase, 'SIGTERM', again);
        expect(notice.trim().split('\n'), phase).toHaveLength(1);
        expect(notice, phase).toContain('SIGTERM');
      }
    }
  });
});
