/** A free port on 127.0.0.1 for tests and benchmarks (bound, then released: the small race is acceptable there). */
import { createServer } from 'node:net';

/** Binds port 0 on loopback, reads the port the kernel chose, releases it. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}
