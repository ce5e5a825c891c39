/**
 * Every message key in every language (issue 19): each catalogue has exactly the keys of its English one, and
 * a translation fills in the same values (`{date}`, `{amount}`…) as the English text — a "{dtae}" would show
 * as written. A failure names the catalogue and the keys, so whoever adds a key knows what to translate.
 *
 * The catalogues: the portal's (web/ui/messages: every language Portico speaks to clients), the back office's
 * (web/backoffice/messages: English and French) and the server's, for e-mails and PDFs (src/i18n/messages).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LANGUAGES } from '../../src/domain/languages.js';
import { SERVER_CATALOGUES } from '../../src/i18n/words.js';
import { en as backOfficeEn } from '../../web/backoffice/messages/en.js';
import { fr as backOfficeFr } from '../../web/backoffice/messages/fr.js';
import { PORTAL_CATALOGUES } from '../../web/ui/messages/catalogues.js';

type Catalogue = Record<string, string>;

const PLURAL_FORM = /\.(zero|one|two|few|many|other)$/;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');

/** What is wrong with `translation` against `english`: missing and extra keys, and values it names wrongly. */
function differences(english: Catalogue, translation: Catalogue) {
  const missing = Object.keys(english).filter((key) => !Object.hasOwn(translation, key));
  const extra = Object.keys(translation).filter((key) => !Object.hasOwn(english, key));
  const wrongValues: string[] = [];
  for (const [key, text] of Object.entries(translation)) {
    const source = english[key];
    if (source === undefined) continue;
    // A plural form may leave out {count} ("Un avis"); it may not name a value its family does not have.
    const family = PLURAL_FORM.test(key)
      ? Object.keys(english)
          .filter((other) => other.replace(PLURAL_FORM, '') === key.replace(PLURAL_FORM, ''))
          .flatMap((other) => placeholders(english[other] ?? ''))
      : placeholders(source);
    const named = placeholders(text);
    const unknown = named.filter((name) => !family.includes(name));
    const left = PLURAL_FORM.test(key) ? [] : family.filter((name) => !named.includes(name));
    if (unknown.length > 0 || left.length > 0) wrongValues.push(`${key} (${[...unknown, ...left].join(', ')})`);
  }
  return { missing, extra, wrongValues };
}

function assertComplete(name: string, english: Catalogue, translation: Catalogue) {
  const { missing, extra, wrongValues } = differences(english, translation);
  assert.deepEqual(missing, [], `${name} lacks these keys: ${missing.join(', ')}`);
  assert.deepEqual(extra, [], `${name} has keys English does not: ${extra.join(', ')}`);
  assert.deepEqual(wrongValues, [], `${name} names other values than English in: ${wrongValues.join('; ')}`);
}

test('the portal speaks every language, each catalogue with every key of English', async () => {
  assert.deepEqual(Object.keys(PORTAL_CATALOGUES).sort(), [...LANGUAGES].filter((l) => l !== 'en').sort());
  const { en } = await import('../../web/ui/messages/en.js');
  for (const [language, load] of Object.entries(PORTAL_CATALOGUES)) {
    assertComplete(`web/ui/messages/${language}.ts`, en, await load());
  }
});

test('the back office’s French has every key of its English', () => {
  assertComplete('web/backoffice/messages/fr.ts', backOfficeEn, backOfficeFr);
});

test('the e-mails and PDFs speak every language, each catalogue with every key of English', () => {
  assert.deepEqual(Object.keys(SERVER_CATALOGUES).sort(), [...LANGUAGES].sort());
  for (const language of LANGUAGES) {
    assertComplete(`src/i18n/messages/${language}.ts`, SERVER_CATALOGUES.en, SERVER_CATALOGUES[language]);
  }
});

test('the check finds what is missing, extra or named wrongly', () => {
  const english = { a: 'Due {date}', 'n.one': '1 item', 'n.other': '{count} items' };
  assert.deepEqual(differences(english, { a: 'Fällig {date}', 'n.one': 'Ein Stück', 'n.other': '{count} Stück' }), {
    missing: [],
    extra: [],
    wrongValues: [],
  });
  assert.deepEqual(differences(english, { a: 'Fällig {datum}', 'n.other': '{count}', b: 'x' }), {
    missing: ['n.one'],
    extra: ['b'],
    wrongValues: ['a (datum, date)'],
  });
});
