/**
 * Words, not codes (issue 18): what the apps show people is in their language. Every audit event the server
 * records has words in both back-office languages (the customer page shows "set up automatic payments", never
 * `portal.autopay_authorized`), and no catalogue fakes a plural with "(s)": counts go through `t.plural` and
 * `Intl.PluralRules`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AUDIT_EVENTS } from '../../src/modules/audit/service.js';
import { en as backOfficeEn } from '../../web/backoffice/messages/en.js';
import { fr as backOfficeFr } from '../../web/backoffice/messages/fr.js';
import { en as portalEn } from '../../web/ui/messages/en.js';
import { fr as portalFr } from '../../web/ui/messages/fr.js';

const CATALOGUES = [
  ['back office, English', backOfficeEn],
  ['back office, French', backOfficeFr],
  ['portal, English', portalEn],
  ['portal, French', portalFr],
] as const;

test('every audit event has words in English and French', () => {
  for (const [name, messages] of CATALOGUES.slice(0, 2)) {
    const missing = AUDIT_EVENTS.filter((event) => !Object.hasOwn(messages, `audit.event.${event}`));
    assert.deepEqual(missing, [], `${name} has no words for these audit events`);
  }
});

test('no message fakes a plural with "(s)", and every plural has its "other" form', () => {
  for (const [name, messages] of CATALOGUES) {
    const faked = Object.entries(messages).filter(([, text]) => /\w\(s\)|\(e?s\)/.test(text));
    assert.deepEqual(faked, [], `${name}: use t.plural with .one/.other forms`);
    for (const key of Object.keys(messages)) {
      const base = /^(.*)\.(zero|one|two|few|many)$/.exec(key)?.[1];
      if (base) assert.ok(Object.hasOwn(messages, `${base}.other`), `${name}: ${base}.other is missing`);
    }
  }
});
