/**
 * The contract of the notify extension point: a format turns one event into the body POSTed to a
 * target of its type (registered by type in `registry.ts`); delivery, retries and the grace time
 * are the same for every format (`deliver.ts`, `notifier.ts`).
 */
import type { NotifyEventName } from '../experiment/notify-schema.js';
import type { NotificationEvent } from './payload-schema.js';

/** How one target type writes an event. */
export interface NotifyFormat {
  /** The request body (serialized as JSON) for `event`. */
  render(event: NotificationEvent): unknown;
}

/** A target with its secret resolved: what the notifier sends to. */
export interface ResolvedTarget {
  /** The format's name (`slack`, `webhook`). */
  type: string;
  /** The URL: a secret, never printed, logged or written anywhere. */
  url: string;
  /** How the target is named in messages instead of its URL, e.g. `<url from $SLACK_WEBHOOK_URL>`. */
  label: string;
  /** Events sent to it. */
  on: readonly NotifyEventName[];
  /** Timeout of each attempt, ms. */
  timeoutMs: number;
  /** Retries after a retryable failure. */
  retries: number;
}
