/**
 * Type "webhook": the event as it is, a JSON object following schema/notification.schema.json
 * (`payload-schema.ts`), for receivers of one's own (a bot, a pipeline, a log).
 */
import type { NotifyFormat } from './types.js';

/** The generic JSON webhook: the payload is the event. */
export const webhookFormat: NotifyFormat = {
  render: (event) => event,
};
