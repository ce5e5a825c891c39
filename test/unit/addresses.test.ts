import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressLines } from '../../src/domain/addresses.js';
import { addressLines as storedAddressLines } from '../../src/pdf/format.js';

test('an address block: its lines in order, city, state and postal code on one line', () => {
  assert.deepEqual(
    addressLines({
      phone: '+1 503 555 0142',
      country: 'US',
      postalCode: '97204',
      state: 'OR',
      city: 'Portland',
      street2: 'Suite 4',
      street1: '12 Orchard Street',
      attention: 'Accounts payable',
    }),
    ['Accounts payable', '12 Orchard Street', 'Suite 4', 'Portland, OR, 97204', 'US', '+1 503 555 0142'],
  );
});

test('blank lines are left out and the others trimmed', () => {
  assert.deepEqual(addressLines({ street1: '  1 Harbour Road ', street2: '   ', city: '', postalCode: '97201' }), [
    '1 Harbour Road',
    '97201',
  ]);
  assert.deepEqual(addressLines({}), []);
});

test('a stored address: its JSON read into lines; unreadable JSON shows nothing', () => {
  assert.deepEqual(storedAddressLines('{"city":"Kobe","state":"Hyogo"}'), ['Kobe, Hyogo']);
  for (const stored of ['', null, undefined, 'not json', '"text"', 'null'])
    assert.deepEqual(storedAddressLines(stored), []);
});
