/** The crash matrices tell an orphaned backend from a port some other process took since: listenerGroups says who holds a port. */
import { createServer } from 'node:net';
import { expect, it } from 'vitest';
import { listenerGroups } from '../support/processes.js';
import { readProcStat } from '../../src/mesh/backends/proc-stat.js';
it('finds our own group as the holder of our listening port, and nobody for a closed one', async () => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const own = (await readProcStat('self'))!.pgid;
  expect(await listenerGroups(port)).toEqual([own]);
  await new Promise((r) => server.close(r));
  expect(await listenerGroups(port)).toEqual([]);
});
