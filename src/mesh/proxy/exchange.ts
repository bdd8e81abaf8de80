/**
 * Per-request state shared by the proxy stages (routing, fault, forwarding): what the client got,
 * which flags apply and which destination answered — read once when the response closes to record
 * the reporter="source" metric sample. A class so the hot path allocates one small object.
 */
import type { DestinationId } from '../telemetry/metrics.js';
import type { RouteTable } from '../config/route-table.js';

/** Something that can abandon its upstream work. */
export interface Cancellable {
  /** Stops timers and in-flight tries. */
  cancel(): void;
}

/** State of one downstream request. */
export class Exchange {
  /** Status sent to the client (0 until known). */
  code = 0;
  /** Response flags collected so far (e.g. DI, URX); null while there are none. */
  flags: string[] | null = null;
  /** Destination that answered, or the service when no endpoint was reached. */
  dest: DestinationId = undefined;
  /** The forwarding in progress, if any. */
  forwarding: Cancellable | undefined = undefined;
  /** The pending fault-delay timer, if any. */
  delayTimer: NodeJS.Timeout | undefined = undefined;

  /** `start`: monotonic start time, ms; `table`: the route table that routes it (its inFlight counts this request). */
  constructor(readonly start: number, readonly table: RouteTable) {}

  /** Adds a response flag. */
  addFlag(flag: string): void {
    (this.flags ??= []).push(flag);
  }

  /** Abandons pending work (the client went away). */
  cancel(): void {
    if (this.delayTimer) clearTimeout(this.delayTimer);
    this.delayTimer = undefined;
    this.forwarding?.cancel();
  }
}
