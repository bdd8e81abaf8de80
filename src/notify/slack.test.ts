import { describe, expect, it } from 'vitest';
import { loadHostileRunResult, loadRunResult, XSS } from '../../test/unit/report/fixture.js';
import { decisionEvent, gameDayDecisionEvent, gameDayVerdictEvent, verdictEvent } from './events.js';
import { slackEscape, slackFormat } from './slack.js';

const T = Date.parse('2026-12-07T12:00:00Z');
interface SlackMessage {
  text: string;
  blocks: Array<{ type: string; text?: { type: string; text: string }; elements?: Array<{ type: string; text: string }> }>;
}
const render = (e: Parameters<typeof slackFormat.render>[0]) => slackFormat.render(e) as SlackMessage;

describe('slack format', () => {
  it('writes an incoming-webhook message: text, then a mrkdwn section and a context of facts', () => {
    const r = loadRunResult();
    const msg = render(verdictEvent(r, T, 'reports/x/report.html'));
    expect(msg.text).toBe(slackEscape(`mesh-exp: experiment ${r.name} ${r.outcome}: ${r.summary}`));
    expect(msg.blocks.map((b) => b.type)).toEqual(['section', 'context']);
    expect(msg.blocks[0]!.text).toEqual({ type: 'mrkdwn', text: `:x: *ROLLED-BACK* ${slackEscape(r.summary)}` });
    expect(msg.blocks[1]!.elements!.map((e) => e.text)).toContain('report: reports/x/report.html');
  });

  it('names each failed check of a step decision', () => {
    const r = loadRunResult();
    const step = r.steps.find((s) => s.checks.some((c) => c.verdict === 'fail'))!;
    const facts = render(decisionEvent(r.name, step, 3, T)).blocks[1]!.elements!.map((e) => e.text);
    for (const c of step.checks.filter((c) => c.verdict === 'fail')) expect(facts).toContain(slackEscape(`${c.name}: ${c.message}`));
  });

  it('writes a game day\'s decision: the experiment\'s status, its place and report, what the day does next', () => {
    const entry = { index: 1, name: 'fault', source: 'inline', continueOnFailure: false, status: 'failed' as const, outcome: 'rolled-back' as const, exitCode: 1, restored: true, summary: 'rolled back' };
    const msg = render(gameDayDecisionEvent({ name: 'friday', experiments: 3, entry, report: 'r/02-fault/report.html', next: 'stop', time: T }));
    expect(msg.blocks[0]!.text!.text).toMatch(/^\*FAILED\* game day friday experiment 2\/3 \(fault\): failed/);
    expect(msg.blocks[1]!.elements!.map((e) => e.text)).toEqual(['game day friday', 'experiment 2/3: fault', 'next: stop', 'report: r/02-fault/report.html']);
    const verdict = render(gameDayVerdictEvent({ name: 'friday', outcome: 'failed', summary: '1 of 3 experiments passed', exitCode: 1, restored: true, report: 'r/index.html', time: T }));
    expect(verdict.blocks[0]!.text!.text).toBe(':x: *FAILED* 1 of 3 experiments passed');
  });

  it('escapes user text: no <link|…>, <!channel> or & entity survives', () => {
    const r = loadHostileRunResult();
    r.summary = `<!channel> <https://evil.example|click> & ${XSS}`;
    const text = JSON.stringify([render(verdictEvent(r, T)), ...r.steps.map((s) => render(decisionEvent(r.name, s, 3, T)))]);
    expect(text).not.toMatch(/[<>]/);
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).toContain('&amp; ');
  });
});
