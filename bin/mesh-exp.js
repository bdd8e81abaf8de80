#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build`.
//
// Loading the CLI takes a few hundred milliseconds. Without a handler, a signal in that time would
// end the process by the default action: no message, and no say for mesh-exp. So a handler is
// installed first and only records the signal; main() installs its own before it first awaits and
// honours a recorded one at once (nothing has started by then). The recorders go only after
// main()'s handlers are in place, so there is no moment without one.
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let startupSignal;
const record = (signal) => {
  startupSignal ??= signal;
};
for (const s of SIGNALS) process.on(s, record);
// Process-wide V8 settings, before any of the CLI's objects are made (see src/cli/v8-tuning.ts).
const { tuneV8 } = await import('../dist/cli/v8-tuning.js');
tuneV8();
const { main } = await import('../dist/cli/main.js');
main(process.argv.slice(2), startupSignal ? { startupSignal } : {});
for (const s of SIGNALS) process.off(s, record);
