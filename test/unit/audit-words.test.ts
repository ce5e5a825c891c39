/**
 * Every audit event the server records has words in both back-office languages: the customer page shows
 * "set up automatic payments", never `portal.autopay_authorized`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AUDIT_EVENTS } from '../../src/modules/audit/service.js';
import { en } from '../../web/backoffice/messages/en.js';
import { fr } from '../../web/backoffice/messages/fr.js';

test('every audit event has words in English and French', () => {
  for (const [language, messages] of [
    ['en', en],
    ['fr', fr],
  ] as const) {
    const missing = AUDIT_EVENTS.filter((event) => !Object.hasOwn(messages, `audit.event.${event}`));
    assert.deepEqual(missing, [], `${language} has no words for these audit events`);
  }
});
