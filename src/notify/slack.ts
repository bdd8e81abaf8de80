/**
 * Type "slack": a Slack incoming-webhook message: `text` for notifications and for
 * Slack-compatible receivers that do not render blocks, and
 * `blocks` (a section in mrkdwn, then a context line of facts). User text is escaped as Slack
 * asks (&, <, >), so a summary cannot become a link or a mention.
 */
import type { NotificationEvent } from './payload-schema.js';
import type { NotifyFormat } from './types.js';

/** Slack's limit on a section's text; longer text is cut with an ellipsis. */
const MAX_SECTION_CHARS = 3000;

/** `text` with &, < and > escaped (Slack's control characters in mrkdwn and plain text). */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const clip = (text: string) => (text.length > MAX_SECTION_CHARS ? `${text.slice(0, MAX_SECTION_CHARS - 1)}…` : text);

// Run outcomes, and a game day's "failed" (a day's other outcomes are a run's words too).
const ICON: Record<string, string> = { promoted: ':white_check_mark:', passed: ':white_check_mark:', 'rolled-back': ':x:', failed: ':x:', error: ':warning:', interrupted: ':octagonal_sign:' };

/** The facts under the headline, one string each. */
function facts(event: NotificationEvent): string[] {
  const who = `${event.kind === 'game-day' ? 'game day' : 'experiment'} ${event.name}`;
  switch (event.event) {
    case 'start':
      return [who, ...(event.target ? [`${event.target.provider}: ${event.target.host} ${event.target.stable} → ${event.target.canary}`] : [])];
    case 'decision': {
      if (event.kind === 'game-day') {
        return [who, `experiment ${event.experiment}/${event.experiments}: ${event.experimentName}`, `next: ${event.next}`, ...(event.report !== undefined ? [`report: ${event.report}`] : [])];
      }
      const failed = event.checks.filter((c) => c.verdict !== 'pass');
      const all = event.figures.find((f) => f.version === 'all');
      return [
        who,
        `step ${event.step}/${event.steps}: ${event.label}`,
        ...(all ? [`${all.count} requests, errors ${all.errorRate === null ? 'n/a' : `${(all.errorRate * 100).toFixed(2)}%`}, p99 ${all.p99Ms === null ? 'n/a' : `${all.p99Ms.toFixed(1)} ms`}`] : []),
        ...failed.map((c) => `${c.name}: ${c.message}`),
      ];
    }
    case 'verdict':
      return [who, `exit ${event.exitCode}`, ...(event.report !== undefined ? [`report: ${event.report}`] : [])];
  }
}

function headline(event: NotificationEvent): string {
  const text = slackEscape(event.text);
  if (event.event === 'verdict') return `${ICON[event.outcome] ?? ''} *${slackEscape(event.outcome.toUpperCase())}* ${slackEscape(event.summary)}`.trim();
  if (event.event === 'decision') return `*${slackEscape(event.kind === 'game-day' ? event.status.toUpperCase() : event.decision)}* ${text}`;
  return text;
}

/** The Slack-compatible incoming webhook. */
export const slackFormat: NotifyFormat = {
  render: (event) => ({
    text: clip(slackEscape(`mesh-exp: ${event.text}`)),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: clip(headline(event)) } },
      { type: 'context', elements: facts(event).slice(0, 10).map((f) => ({ type: 'mrkdwn', text: clip(slackEscape(f)) })) },
    ],
  }),
};
