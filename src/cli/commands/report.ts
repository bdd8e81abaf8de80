/**
 * `mesh-exp report <run-dir> [--compare <run-dir>] [--out <dir>]`: renders a run's reports again
 * (or a game day's combined reports) from its saved result.json (after an upgrade, or to compare game days), optionally with a
 * previous run's figures side by side. `mesh-exp report --trend [--experiment name] [--since 30d]
 * [--reports dir] [--out dir]` instead writes trend.html from the run history (index.jsonl).
 * Nothing runs and the mesh is not touched.
 */
import { Command } from 'commander';
import type { Context } from '../../context.js';
import type { CommandResult } from '../command-result.js';
import type { ReportFlags } from './report-action.js';

const HELP = `
Examples:
  $ mesh-exp report reports/reviews-canary-20250514-093000
  $ mesh-exp report reports/reviews-canary-20250521-093000 --compare reports/reviews-canary-20250514-093000
  $ mesh-exp report reports/reviews-canary-20250514-093000/result.json --out /tmp/review
  $ mesh-exp report reports/reviews-game-day-20250514-093000   # a game day's combined reports
  $ mesh-exp report --trend
  $ mesh-exp report --trend --experiment reviews-canary --since 30d --out /tmp/trend

Reads <run-dir>/result.json (checked against schema/result.schema.json) and writes report.html,
result.json, summary.md and junit.xml into the run directory, or into --out. With --compare, the
HTML and Markdown reports show every SLO check and each step's per-version p50, p99 and error
rate of this run beside the previous run's (steps are matched by number, checks by name).

Given a game day's directory (or its result.json, kind GameDay; checked against
schema/gameday-result.schema.json), writes the day's combined reports again: result.json,
index.html, junit.xml (each run's checks read from its run directory inside the day's) and
summary.md, into the day's directory or --out. Each run's own reports are left as they are; the
links of index.html to them are relative to the day's directory. --compare takes runs only.

With --trend (and no <run-dir>), writes trend.html into the reports root (or --out) from its
index.jsonl, which every run appends to: per experiment, the canary's and stable's p50, p99 and
error rate over each run's last step and each run's duration across runs and game days, a marker
per run for its outcome, and the runs flagged as a regression against the run before them (the
test and its α are stated on the page; see \`mesh-exp history --help\`).

Exit codes:
  0    the reports were written (whatever the run's own outcome was)
  2    no such run directory, or its result.json is not valid (each problem is named with its
       file, line and field; a game day that never ended has none: \`mesh-exp recover\` writes
       it); neither <run-dir> nor --trend, or both; a bad --since; no runs to chart
  3    a report could not be written
`;

/** Creates the `report` command. */
export function createReportCommand(ctx: Context, result: CommandResult): Command {
  return new Command('report')
    .description("render a run's (or a game day's) reports again from its result.json, optionally beside a previous run; or (--trend) chart the run history")
    .argument('[run-dir]', 'run directory written by `mesh-exp run`, or a game day\'s directory (or its result.json); not with --trend')
    .option('--compare <run-dir>', "show this previous run's figures side by side")
    .option('--out <dir>', 'write the reports here instead of into the run directory (--trend: instead of the reports root)')
    .option('--trend', 'write trend.html from the run history (index.jsonl) instead of a run\'s reports')
    .option('--experiment <name>', 'with --trend: only this experiment')
    .option('--since <span>', 'with --trend: only runs started within this span before now, e.g. 30d, 12h')
    .option('--reports <dir>', 'with --trend: the reports root holding index.jsonl (default: reports)')
    .addHelpText('after', HELP)
    .action(async (runDir: string | undefined, flags: ReportFlags) => {
      // Imported here so that `--help` and the other commands never load the reporters.
      const { reportAction } = await import('./report-action.js');
      await reportAction(ctx, result, runDir, flags);
    });
}
