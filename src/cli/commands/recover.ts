/**
 * `mesh-exp recover [run-dir]`: after a run was killed (SIGKILL, power loss, OOM), stop the
 * processes it left running, put back what its journal says it changed, verify it, mark the journal
 * recovered, and report the steps that finished.
 */
import { Command } from 'commander';
import type { Context } from '../../context.js';
import type { CommandResult } from '../command-result.js';
import type { RecoverFlags } from './recover-action.js';

const HELP = `
Examples:
  $ mesh-exp recover                                  # the newest unrecovered run or killed game day under reports/
  $ mesh-exp recover reports/reviews-canary-20250101-120000
  $ mesh-exp recover --report-dir /tmp/runs           # the newest unrecovered run under /tmp/runs
  $ mesh-exp recover reports/istio-canary-... --context prod   # a run of provider istio or gateway-api
  $ mesh-exp recover reports/reviews-game-day-20250101-120000   # a killed game day (its gameday.jsonl)

A game day's directory (it holds gameday.jsonl) is recovered as a whole: the experiment that was
in flight is recovered as a run is, then the game day's reports are written (marked partial: that
experiment is an error, the ones it never started "not run"). With no argument, recover looks
under --report-dir for both: run directories whose journal is unrecovered, game days whose
gameday.jsonl never ended (and the runs of a day that ended, should one still owe a restore),
and recovers the newest, naming the others.

A run journals the original VirtualService or HTTPRoute (and how to reach it) before its first
change. If the run dies without restoring, recover reads that journal, restores the original through
the same provider and endpoint (the running \`mesh-exp mesh\` of spec.local.attach, or the cluster
of providers istio and gateway-api: --kubeconfig/--context must reach the API server the journal
names), reads it back to verify it is the original, and journals restore-done. It is safe to run
again: the second time it says there is nothing to recover. A run whose local mesh ran in-process
(no spec.local.attach) lost its mesh with its process: recover says so and marks the journal
recovered. Backend processes the run started (command backends) are stopped first, each only while
its pid still has the start time the journal recorded (a reused pid is left alone). The steps that
finished before the crash (steps.jsonl) become a partial report (result.json with "partial": true,
report.html, summary.md, junit.xml) unless the run wrote its own. While a journal is unrecovered, a
new run on the same object refuses to start (exit 5) and names this command. Ctrl-C (SIGINT),
SIGTERM or SIGHUP stops recover at once (exit 130/143/129): like a crash, it leaves nothing worse
than it found, and running recover again finishes the job.

Exit codes:
  0  restored and verified, or nothing to recover
  2  no such run directory, or the journal is corrupted (file and line are named)
  3  the target cannot be reached (start the mesh again, then recover again), or the run is still alive
  4  the restore failed or could not be verified: the original is in journal.jsonl
  130/143/129  stopped by SIGINT/SIGTERM/SIGHUP; run recover again
`;

/** Creates the `recover` command. */
export function createRecoverCommand(ctx: Context, result: CommandResult): Command {
  return new Command('recover')
    .description('restore the mesh from the journal of a run that crashed (idempotent)')
    .argument('[run-dir]', 'run directory (or its journal.jsonl) or game-day directory; default: the newest unrecovered run or killed game day under --report-dir')
    .option('--report-dir <dir>', 'where to look for run and game-day directories when none is named (default reports/)')
    .option('--kubeconfig <file>', 'kubeconfig for runs of providers istio and gateway-api (default: $KUBECONFIG, ~/.kube/config, in-cluster)')
    .option('--context <name>', 'kubeconfig context for runs of providers istio and gateway-api (default: its current context)')
    .addHelpText('after', HELP)
    .action(async (runDir: string | undefined, flags: RecoverFlags) => {
      // Imported here so that `--help` and the other commands never load the providers.
      const { recoverAction } = await import('./recover-action.js');
      await recoverAction(ctx, result, runDir, flags);
    });
}
