import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  compactAccountNumber,
  epcPayload,
  groupedIban,
  isValidBic,
  isValidIban,
  looksLikeIban,
} from '../../src/domain/bank-account.js';

/** Builds a valid IBAN from a country and a national part by computing its check digits (ISO 13616). */
function ibanOf(country: string, national: string): string {
  const digits = `${national}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let remainder = 0;
  for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  return `${country}${String(98 - remainder).padStart(2, '0')}${national}`;
}

const country = fc.constantFrom('DE', 'FR', 'NL', 'GB', 'ES', 'IT', 'BE');
const national = fc.stringMatching(/^[A-Z0-9]{11,30}$/);

describe('IBANs', () => {
  test('published examples are valid; a changed digit is not', () => {
    for (const iban of ['DE89370400440532013000', 'GB82WEST12345698765432', 'FR1420041010050500013M02606']) {
      assert.ok(isValidIban(iban), iban);
    }
    assert.equal(isValidIban('DE89370400440532013001'), false);
    assert.equal(isValidIban('DE8937040044'), false);
  });

  test('every IBAN with computed check digits is valid, and changing any one character makes it invalid', () => {
    fc.assert(
      fc.property(country, national, fc.nat(), fc.integer({ min: 1, max: 9 }), (land, rest, at, shift) => {
        const iban = ibanOf(land, rest);
        assert.ok(isValidIban(iban), iban);
        const position = 4 + (at % rest.length);
        const original = iban[position] as string;
        // A digit moved by 1..9 stays a digit, and a different one: a single substitution mod 97 is always caught.
        if (!/\d/.test(original)) return;
        const changed = String((Number(original) + shift) % 10);
        const tampered = `${iban.slice(0, position)}${changed}${iban.slice(position + 1)}`;
        assert.equal(isValidIban(tampered), false, tampered);
      }),
    );
  });

  test('typed with spaces and in lower case, then grouped by four as banks print them', () => {
    const compact = compactAccountNumber('de89 3704 0044 0532 0130 00');
    assert.equal(compact, 'DE89370400440532013000');
    assert.ok(looksLikeIban(compact));
    assert.equal(looksLikeIban('000123456789'), false);
    assert.equal(groupedIban(compact), 'DE89 3704 0044 0532 0130 00');
  });
});

describe('BICs', () => {
  test('8 or 11 characters of the ISO 9362 shape', () => {
    assert.ok(isValidBic('COBADEFF'));
    assert.ok(isValidBic('COBADEFFXXX'));
    assert.equal(isValidBic('COBADEF'), false);
    assert.equal(isValidBic('COBA1EFF'), false);
    assert.equal(isValidBic('cobadeff'), false);
  });
});

describe('the EPC QR code text', () => {
  test('the fields in the order EPC069-12 gives, the amount in euros with two decimals', () => {
    const text = epcPayload({
      name: 'Northwind  Traders\n',
      iban: 'DE89370400440532013000',
      bic: 'COBADEFFXXX',
      amountCents: 123_405,
      remittance: 'INV-00012',
    });
    assert.deepEqual(text.split('\n'), [
      'BCD',
      '002',
      '1',
      'SCT',
      'COBADEFFXXX',
      'Northwind Traders',
      'DE89370400440532013000',
      'EUR1234.05',
      '',
      '',
      'INV-00012',
    ]);
  });

  test('without a BIC the line stays, empty; amounts outside 0.01–999,999,999.99 are refused', () => {
    const text = epcPayload({ name: 'A', iban: 'DE89370400440532013000', bic: null, amountCents: 1, remittance: 'R' });
    assert.equal(text.split('\n')[4], '');
    assert.equal(text.split('\n')[7], 'EUR0.01');
    for (const amountCents of [0, -5, 100_000_000_000, 1.5]) {
      assert.throws(() =>
        epcPayload({ name: 'A', iban: 'DE89370400440532013000', bic: null, amountCents, remittance: 'R' }),
      );
    }
  });
});
