/**
 * `mesh-exp history [--experiment name] [--since 30d] [--reports dir] [--output text|json]`: the
 * runs recorded in the reports root's index.jsonl, newest last, with their verdicts, canary p99,
 * error rate, duration and a regression flag against the previous run of the same experiment.
 */
import { Command, Option } from 'commander';
import type { Context } from '../../context.js';
import type { CommandResult } from '../command-result.js';
import type { HistoryFlags } from './history-action.js';

const HELP = `
Examples:
  $ mesh-exp history
  $ mesh-exp history --experiment reviews-canary --since 30d
  $ mesh-exp history --reports /var/lib/mesh-exp/reports --since 12h --output json | jq '.runs[-1]'

Every \`mesh-exp run\` appends one line to index.jsonl in its reports root (the directory its run
directory is created in: reports/ by default, the parent of --report-dir); \`mesh-exp recover\`
appends the partial run it finishes. A line that cannot be read is skipped with a warning naming
file:line. --since takes a span back from now: 30d, 12h, 90m, 1w2d (units ms, s, m, h, d, w).

The figures are the canary's over the last step run. REGRESSION compares each run with the run of
the same experiment before it: latency by Mann-Whitney U on the kept latency distributions (with
a Hodges-Lehmann shift of at least 5%), error rate by Newcombe's interval of the difference of two
proportions, family-wise α = 0.01 per pair (0.005 per test). The table's footer states it too.

Exit codes:
  0    the history was listed (also when it is empty)
  2    a bad flag value (e.g. --since 30x)
  3    the index could not be read (e.g. a directory where the file should be)
`;

/** Creates the `history` command. */
export function createHistoryCommand(ctx: Context, result: CommandResult): Command {
  return new Command('history')
    .description('list recorded runs with their verdicts, p99, error rate, duration and regressions, newest last')
    .option('--experiment <name>', 'only runs of this experiment (metadata.name)')
    .option('--since <span>', 'only runs started within this span before now, e.g. 30d, 12h')
    .option('--reports <dir>', 'the reports root holding index.jsonl (or the index file itself)', 'reports')
    .addOption(new Option('--output <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', HELP)
    .action(async (flags: HistoryFlags) => {
      // Imported here so that `--help` and the other commands never load zod and the statistics.
      const { historyAction } = await import('./history-action.js');
      await historyAction(ctx, result, flags);
    });
}
