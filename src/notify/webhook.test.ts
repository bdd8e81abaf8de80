import { describe, expect, it } from 'vitest';
import { loadHostileRunResult } from '../../test/unit/report/fixture.js';
import { decisionEvent, verdictEvent } from './events.js';
import { notificationPayloadSchema } from './payload-schema.js';
import { webhookFormat } from './webhook.js';

describe('webhook format', () => {
  it('posts the event itself: the payload of schema/notification.schema.json, user text as data (JSON escapes it)', () => {
    const r = loadHostileRunResult();
    for (const event of [verdictEvent(r, 0, 'x/report.html'), ...r.steps.map((s) => decisionEvent(r.name, s, r.steps.length, 0))]) {
      const body = JSON.parse(JSON.stringify(webhookFormat.render(event)));
      expect(body).toEqual(event);
      expect(notificationPayloadSchema.parse(body)).toEqual(event);
    }
  });
});
