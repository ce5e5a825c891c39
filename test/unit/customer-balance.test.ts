import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { customerBalance, netBalanceSide } from '../../src/domain/customer-balance.js';
import { AppError } from '../../src/domain/errors.js';

describe('customerBalance', () => {
  test('the issue’s case: $487.13 outstanding, $2,300.00 of credit → credit of $1,812.87', () => {
    const balance = customerBalance({
      currency: 'USD',
      outstandingInvoices: 48_713,
      creditAvailable: 230_000,
      retainerCredit: 200_000,
      broughtForward: 0,
    });
    assert.equal(balance.netBalance, -181_287);
    assert.equal(netBalanceSide(balance.netBalance), 'credit');
  });

  test('the balance brought forward counts with the invoices', () => {
    const balance = customerBalance({
      currency: 'EUR',
      outstandingInvoices: 10_000,
      creditAvailable: 2_500,
      retainerCredit: 0,
      broughtForward: 1_000,
    });
    assert.equal(balance.netBalance, 8_500);
    assert.equal(netBalanceSide(balance.netBalance), 'due');
    assert.equal(netBalanceSide(0), 'settled');
  });

  test('refuses amounts that are not whole minor units', () => {
    assert.throws(
      () =>
        customerBalance({
          currency: 'USD',
          outstandingInvoices: 1.5,
          creditAvailable: 0,
          retainerCredit: 0,
          broughtForward: 0,
        }),
      (error) => error instanceof AppError && error.errors[0]?.path === '/outstandingInvoices',
    );
  });
});
