import { describe, expect, it } from 'vitest';
import { type CpuProfile, topSelfFrames } from './profile-top.js';

const frame = (id: number, functionName: string, url = '', lineNumber = 0) => ({ id, callFrame: { functionName, url, lineNumber } });

describe('topSelfFrames', () => {
  it('ranks frames by self samples as shares of the busy ones, idle left out', () => {
    const profile: CpuProfile = {
      nodes: [frame(1, '(idle)'), frame(2, 'writev'), frame(3, 'head', 'file:///repo/dist/mesh/proxy/http1-response-parser.js', 109), frame(4, '(garbage collector)')],
      samples: [1, 1, 1, 1, 2, 2, 3, 2, 4, 1],
      timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
    };
    expect(topSelfFrames(profile, 2)).toEqual({
      busy: 5,
      frames: [
        { frame: 'writev', share: 0.6 },
        { frame: 'head dist/mesh/proxy/http1-response-parser.js:110', share: 0.2 },
      ],
    });
  });

  it('leaves out the samples of the first skipMs (start-up)', () => {
    const profile: CpuProfile = { nodes: [frame(1, 'compile'), frame(2, 'writev')], samples: [1, 1, 1, 2, 2], timeDeltas: [1000, 1000, 1000, 1000, 1000] };
    expect(topSelfFrames(profile, 5, 3.5)).toEqual({ busy: 2, frames: [{ frame: 'writev', share: 1 }] });
  });
});
