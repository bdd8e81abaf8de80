// Preloaded by a test (`node --import ./test/support/slow-cli-import.mjs bin/mesh-exp.js ...`): a
// module hook that holds the import of dist/cli/main.js for SLOW_CLI_IMPORT_MS (default 1000) ms,
// after writing "loading the CLI" to stderr. It makes the start-up window, in which the CLI is
// loaded but main() has not run, long enough to send a signal into on purpose.
import { writeSync } from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

// The same file is the hooks module, loaded again in the hooks thread: register only once.
if (isMainThread) register(import.meta.url);

/** Resolve hook: waits before resolving the CLI's main module. */
export async function resolve(specifier, context, nextResolve) {
  if (specifier.endsWith('dist/cli/main.js')) {
    writeSync(2, 'loading the CLI\n');
    await new Promise((r) => setTimeout(r, Number(process.env.SLOW_CLI_IMPORT_MS ?? 1000)));
  }
  return nextResolve(specifier, context);
}
