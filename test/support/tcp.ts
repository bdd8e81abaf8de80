/**
 * A raw TCP client for the mesh's TCP listeners and the TCP echo backend: connect, write, half-close
 * (our side ends, theirs may go on), and collect everything until the other side closes.
 */
import { connect } from 'node:net';

/** What one connection got back. */
export interface TcpReply {
  /** Everything received, as UTF-8. */
  text: string;
  /** Whether the other side ended its writing side cleanly (FIN) rather than resetting. */
  ended: boolean;
}

/** Sends `text` to 127.0.0.1:`port`, then ends the writing side, and resolves with all that comes back once the socket closes. */
export function tcpExchange(port: number, text: string, timeoutMs = 10_000): Promise<TcpReply> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let ended = false;
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close from 127.0.0.1:${port} within ${timeoutMs} ms (got ${JSON.stringify(Buffer.concat(chunks).toString('utf8'))})`));
    }, timeoutMs);
    socket.on('connect', () => socket.end(text));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => {
      ended = true;
      socket.end();
    });
    // A reset counts as a close: the reply says what arrived before it.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text: Buffer.concat(chunks).toString('utf8'), ended });
    });
  });
}

/** Runs `n` exchanges, `concurrency` at a time. */
export async function tcpMany(n: number, concurrency: number, run: (i: number) => Promise<TcpReply>): Promise<TcpReply[]> {
  const out: TcpReply[] = new Array(n);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n; i = next++) out[i] = await run(i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return out;
}
