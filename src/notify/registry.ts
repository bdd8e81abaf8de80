/**
 * The notify extension point's registry: a format per target type (`spec.notify[].type`), built
 * on `createRegistry`, so an unknown type is a usage error with a "did you mean" hint.
 */
import { createRegistry, type Registry } from '../registry.js';
import { slackFormat } from './slack.js';
import type { NotifyFormat } from './types.js';
import { webhookFormat } from './webhook.js';

/** Notification formats by target type. */
export type NotifyRegistry = Registry<NotifyFormat>;

/** The built-in formats: `slack`, `webhook` (the names of NOTIFY_TYPES in the experiment schema). */
export function createDefaultNotifyRegistry(): NotifyRegistry {
  const registry = createRegistry<NotifyFormat>({ kind: 'notification type' });
  registry.register('slack', slackFormat);
  registry.register('webhook', webhookFormat);
  return registry;
}
