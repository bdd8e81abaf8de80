/**
 * `mesh-exp validate <file...>`: checks experiment files (schema, rules, manifests) without
 * running anything, and reports every problem of every file — located, with hints. Invalid files
 * are a result here, not a failure: all files are reported, then the command exits 2.
 */
import { Command, Option } from 'commander';
import type { Context } from '../../context.js';
import type { CommandResult } from '../command-result.js';
import type { ValidateFlags } from './validate-action.js';

const HELP = `
Examples:
  $ mesh-exp validate experiments/canary.yaml
  $ mesh-exp validate experiments/*.yaml
  $ mesh-exp validate canary.yaml --output json | jq '.[] | select(.ok | not)'
  $ mesh-exp validate experiments/gameday.yaml   # a game day and every experiment in it

Each problem is printed as  file:line:col path: message  (with a hint below when one helps),
so editors and CI problem matchers can jump to it. With provider local, the Istio manifests in
spec.local.manifests are read and checked too. The load engine is checked as run's preflight
checks it: generator vegeta needs vegeta v12.13.0, generator k6 a k6 on PATH. On a machine
without the engine (e.g. a CI that only checks files), --no-engine-check leaves that check out.
The webhook URLs of spec.notify are read as run reads them (the variable set, the file readable,
an http(s) URL; never printed); where the secrets are not available, --no-secret-check skips that.
A game-day file (kind GameDay) is checked with every experiment it names or holds, each as run
would check it with the day's defaults filled in; an inline experiment's problems and a default's
are located in the game-day file.
Exit codes: 0 every file is valid; 2 at least one file has problems.
`;

/** Creates the `validate` command. */
export function createValidateCommand(ctx: Context, result: CommandResult): Command {
  return new Command('validate')
    .description('check experiment files and their manifests without running anything')
    .argument('<file...>', 'experiment files (YAML)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--no-engine-check', 'do not check that the load engine (vegeta, k6) is installed here, as run\'s preflight does')
    .option('--no-secret-check', 'do not check that the webhook URLs of spec.notify can be read here, as run\'s preflight does')
    .addHelpText('after', HELP)
    .action(async (files: string[], flags: ValidateFlags) => {
      // Imported here so that `--help` and the other commands never load the spec checks.
      const { validateAction } = await import('./validate-action.js');
      await validateAction(ctx, result, files, flags);
    });
}
