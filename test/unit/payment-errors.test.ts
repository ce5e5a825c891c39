import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  clientMessageOf,
  PAYMENT_ERROR_CODES,
  PAYMENT_ERRORS,
  paymentErrorOf,
} from '../../src/domain/payment-errors.js';
import { sandboxRulesFrom } from '../../src/payments/sandbox/rules.js';
import { behaviourOf, luhnValid, SANDBOX_TEST_CARDS } from '../../src/payments/sandbox/test-cards.js';
import { maskSecret } from '../../src/payments/secret-box.js';

test('the CP catalogue has every code of PRODUCT.md §6, each with its three sentences', () => {
  assert.deepEqual(Object.keys(PAYMENT_ERRORS).sort(), [...PAYMENT_ERROR_CODES].sort());
  assert.equal(PAYMENT_ERROR_CODES.length, 11);
  for (const code of PAYMENT_ERROR_CODES) {
    const entry = PAYMENT_ERRORS[code];
    assert.equal(entry.code, code);
    assert.equal(entry.source, code.startsWith('CP1') || code === 'CP2001' ? 'portico' : 'gateway');
    for (const text of [entry.clientMessage, entry.whatWentWrong, entry.whatToDo]) {
      assert.ok(text.length > 10 && text.endsWith('.'), `${code}: ${text}`);
    }
  }
  assert.match(PAYMENT_ERRORS.CP3001.whatWentWrong, /reference transactions/i);
  assert.match(PAYMENT_ERRORS.CP4003.whatToDo, /currency/);
  // What the client sees never tells them how the merchant account is set up.
  for (const code of ['CP3001', 'CP3002', 'CP3003', 'CP4002'] as const) {
    assert.doesNotMatch(PAYMENT_ERRORS[code].clientMessage, /merchant|credential|filter/i);
  }
});

test('client messages for CP codes, card declines and anything else', () => {
  assert.equal(clientMessageOf('CP4001'), PAYMENT_ERRORS.CP4001.clientMessage);
  assert.match(clientMessageOf('insufficient_funds'), /insufficient funds/);
  assert.equal(clientMessageOf('something_new'), 'The payment could not be completed.');
  assert.equal(paymentErrorOf('card_declined'), undefined);
});

test('the test cards are valid card numbers, and unknown numbers are no test card', () => {
  for (const number of Object.keys(SANDBOX_TEST_CARDS)) assert.ok(luhnValid(number), number);
  assert.equal(behaviourOf('4111111111111111'), 'not_a_test_card');
  assert.equal(luhnValid('4242424242424241'), false);
});

test('stored sandbox rules gain the defaults of rules added later; secrets are masked', () => {
  const rules = sandboxRulesFrom(JSON.stringify({ minimumAmount: 50, fraudFilters: { maxAmount: 10 } }));
  assert.equal(rules.minimumAmount, 50);
  assert.deepEqual(rules.fraudFilters, { blockHighRiskCards: true, maxAmount: 10 });
  assert.equal(rules.recurring, true);
  assert.equal(maskSecret('sk_live_abcdefgh1234'), 'sk_live_…1234');
  assert.equal(maskSecret('whsec_abcdefgh9876'), 'whsec_…9876');
});
