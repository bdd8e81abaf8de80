/**
 * `mesh-exp run <file>`: runs an experiment on the mesh, writes the run directory (journal and
 * reports), prints the summary and ends with the run's exit code.
 */
import { Command, Option } from 'commander';
import type { Context } from '../../context.js';
import { EXIT_CODE_SEVERITY, exitCodesHelp, UsageError } from '../../errors.js';
import type { CommandResult } from '../command-result.js';
import type { RunFlags } from './run-action.js';

// The exit codes come from the one table in errors.ts, as in the program's help.
const HELP = `
Examples:
  $ mesh-exp run experiments/canary.yaml
  $ mesh-exp run experiments/canary-bad.yaml --report-dir /tmp/run1
  $ mesh-exp run experiments/fault-abort.yaml --output json --no-progress > result.json
  $ mesh-exp run experiments/canary.yaml --aa --windows 20   # A/A: the false-alarm rate of these SLOs here
  $ mesh-exp run experiments/sequential-canary.yaml   # analysis.mode: sequential: stops a step at a certain regression

With spec.analysis.mode: sequential, SLOs are also tested every second (the canary's Prometheus
built-ins once per scrape) by anytime-valid tests whose false-alarm bound holds however often they look: a certain regression rolls back at once, and with
promoteEarly certain non-inferiority ends the step early (README, "Sequential analysis").

A/A mode (--aa; --windows, default 10) sends every request to the stable, splits the stable's
responses at random into halves A and B (--seed makes the split repeatable), and judges the SLOs
with A as the stable and B as the canary for each window of the step interval. Nothing is promoted
or rolled back; the summary gives how many checks failed although both sides were the same
version: the false-alarm rate of these SLOs on this system. Exit 0 unless the run fails.

  $ mesh-exp run experiments/canary.yaml   # with spec.local.attach: http://127.0.0.1:15020
  $ mesh-exp run cluster-canary.yaml --kubeconfig ~/.kube/config --context prod   # provider istio or gateway-api

The run directory (default reports/<name>-<UTC YYYYMMDD-HHMMSS>/) holds journal.jsonl (the
original VirtualService or HTTPRoute, written before any change), result.json, report.html, summary.md and
junit.xml; "mesh-exp report <run-dir>" renders the reports again from result.json.
Load at load.rate is constant; load.stages ramps it (linear between stages, from load.startRate)
and restarts at each step's load window; the progress line then shows the current target rate.
Ctrl-C (SIGINT), SIGTERM or SIGHUP stops the load at once and restores the object before
exiting; a second Ctrl-C does not interrupt the restore. Before the run's first change (reading
the file, starting the local mesh, preflight) a signal exits at once: nothing was changed. If the run is killed outright (SIGKILL,
power loss), \`mesh-exp recover <run dir>\` restores it from the journal (with spec.local.attach,
where the mesh outlives the run, or in a cluster); until then a new run on it refuses to start.

A file of kind GameDay runs its experiments one after another (each restored before the next),
each in its own run directory inside reports/<game day>-<timestamp>/, which also holds the day's
gameday.jsonl, result.json, index.html, junit.xml and summary.md. Ctrl-C restores the experiment
in hand and skips the rest. A killed game day: \`mesh-exp recover <game-day dir>\`.
  $ mesh-exp run experiments/gameday.yaml

Exit codes:
${exitCodesHelp()}
A game day exits 0 when its verdict passes and 1 when it fails; when an experiment ended with
another code, the day exits with the worst of them, in this order: ${EXIT_CODE_SEVERITY.join(', ')}.
`;

/** Parses a positive integer flag value, or throws a UsageError naming the flag. */
function positiveInt(flag: string, max: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1 || n > max) {
      throw new UsageError(`${flag} must be a whole number from 1 to ${max}, got "${text}"`, { hint: `e.g. ${flag} 20` });
    }
    return n;
  };
}

/** Creates the `run` command. */
export function createRunCommand(ctx: Context, result: CommandResult): Command {
  return new Command('run')
    .description('run an experiment: shift/fault/mirror step by step, drive load, judge SLOs, promote or roll back')
    .argument('<file>', 'experiment file, or game-day file (kind GameDay) (YAML)')
    .option('--report-dir <dir>', 'write the run directory here (default reports/<name>-<timestamp>/)')
    .addOption(new Option('--output <format>', 'output format; json prints result.json to stdout').choices(['text', 'json']).default('text'))
    .option('--no-progress', 'do not show the live progress view (events are logged as lines)')
    .option('--aa', 'A/A mode: judge the stable against itself, window after window, to show the false-alarm rate of the SLOs')
    .option('--windows <n>', 'windows of an A/A run, each one step interval long', positiveInt('--windows', 1000), 10)
    .option('--seed <n>', 'seed of the A/A split of requests into halves (default: random, printed in the result)', positiveInt('--seed', 2 ** 31 - 1))
    .option('--kubeconfig <file>', 'kubeconfig for providers istio and gateway-api (default: $KUBECONFIG, ~/.kube/config, in-cluster)')
    .option('--context <name>', 'kubeconfig context for providers istio and gateway-api (default: its current context)')
    .addHelpText('after', HELP)
    .action(async (file: string, flags: RunFlags) => {
      // Imported here so that `--help` and the other commands never load the runner.
      const { runAction } = await import('./run-action.js');
      await runAction(ctx, result, file, flags);
    });
}
