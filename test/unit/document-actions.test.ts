import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  ESTIMATE_ACTIONS,
  ESTIMATE_STATUSES,
  estimateActions,
  estimateMachine,
} from '../../src/domain/estimate-states.js';
import {
  INVOICE_ACTIONS,
  INVOICE_STATUSES,
  type InvoiceFacts,
  type InvoiceStatus,
  invoiceActions,
  invoiceMachine,
  RETAINER_ACTIONS,
  RETAINER_STATUSES,
  retainerActions,
  retainerMachine,
} from '../../src/domain/invoice-states.js';
import { canTransition } from '../../src/domain/states.js';

/**
 * The business's actions per status, written out from PRODUCT.md's rules rather than from the functions, so a
 * change to either shows here.
 */

describe('estimate actions', () => {
  const expected: Record<(typeof ESTIMATE_STATUSES)[number], string[]> = {
    draft: ['send', 'mark_sent', 'edit', 'delete'],
    sent: ['send_again', 'convert'],
    // The client asked for changes: revised, then sent again.
    changes_requested: ['send', 'mark_sent', 'edit'],
    accepted: ['convert'],
    // Revised, then sent anew.
    declined: ['send', 'mark_sent', 'edit'],
    expired: [],
    invoiced: [],
  };
  for (const status of ESTIMATE_STATUSES) {
    test(`${status}: ${expected[status].join(', ') || 'nothing'}`, () => {
      assert.deepEqual(estimateActions({ status }), expected[status]);
    });
  }
  test('send and convert are offered exactly when the machine allows them', () => {
    for (const status of ESTIMATE_STATUSES) {
      const actions = estimateActions({ status });
      assert.equal(actions.includes('send'), canTransition(estimateMachine, status, 'send'));
      assert.equal(actions.includes('mark_sent'), canTransition(estimateMachine, status, 'send'));
      assert.equal(actions.includes('convert'), canTransition(estimateMachine, status, 'convert'));
    }
  });
  test('every action named is an estimate action', () => {
    assert.ok(
      ESTIMATE_STATUSES.every((status) => estimateActions({ status }).every((a) => ESTIMATE_ACTIONS.includes(a))),
    );
  });
});

describe('invoice actions', () => {
  const untouched = { paymentsApplied: 0, creditsApplied: 0, writtenOff: 0, everPaid: false };
  const at = (status: InvoiceStatus, facts: Partial<InvoiceFacts> = {}) =>
    invoiceActions({ status, ...untouched, ...facts });

  test('a draft is sent, marked sent, edited or deleted', () => {
    assert.deepEqual(at('draft'), ['send', 'mark_sent', 'edit', 'delete']);
  });
  test('a reopened draft that was once paid is not deleted', () => {
    assert.deepEqual(at('draft', { everPaid: true }), ['send', 'mark_sent', 'edit']);
  });
  test('sent or overdue, nothing applied: still editable', () => {
    for (const status of ['sent', 'overdue'] as const) {
      assert.deepEqual(at(status), ['send_again', 'edit', 'void', 'record_payment', 'write_off']);
    }
  });
  test('once money is applied, no more editing', () => {
    assert.deepEqual(at('overdue', { paymentsApplied: 100, everPaid: true }), [
      'send_again',
      'void',
      'record_payment',
      'write_off',
    ]);
    assert.deepEqual(at('sent', { creditsApplied: 100, everPaid: true }), [
      'send_again',
      'void',
      'record_payment',
      'write_off',
    ]);
  });
  test('partially paid', () => {
    assert.deepEqual(at('partially_paid', { paymentsApplied: 100, everPaid: true }), [
      'send_again',
      'void',
      'record_payment',
      'write_off',
    ]);
  });
  test('one write-off at a time: cancel it to write off again', () => {
    assert.deepEqual(at('partially_paid', { writtenOff: 100 }), [
      'send_again',
      'void',
      'record_payment',
      'cancel_write_off',
    ]);
    assert.deepEqual(at('paid', { writtenOff: 1_000 }), ['void', 'cancel_write_off']);
  });
  test('paid: only void', () => {
    assert.deepEqual(at('paid', { paymentsApplied: 1_000, everPaid: true }), ['void']);
  });
  test('void: only reopen', () => {
    assert.deepEqual(at('void', { everPaid: true }), ['reopen']);
  });
  test('property: the machine decides send, void and reopen; the list keeps INVOICE_ACTIONS order', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...INVOICE_STATUSES),
        fc.nat(5),
        fc.nat(5),
        fc.nat(5),
        fc.boolean(),
        (status, paymentsApplied, creditsApplied, writtenOff, everPaid) => {
          const actions = invoiceActions({ status, paymentsApplied, creditsApplied, writtenOff, everPaid });
          assert.deepEqual(
            actions,
            INVOICE_ACTIONS.filter((action) => actions.includes(action)),
          );
          assert.equal(actions.includes('send'), canTransition(invoiceMachine, status, 'send'));
          assert.equal(actions.includes('void'), canTransition(invoiceMachine, status, 'void'));
          assert.equal(actions.includes('reopen'), canTransition(invoiceMachine, status, 'reopen'));
          assert.equal(actions.includes('cancel_write_off'), writtenOff > 0);
          if (actions.includes('write_off')) assert.equal(writtenOff, 0);
          if (actions.includes('delete')) assert.ok(status === 'draft' && !everPaid);
        },
      ),
    );
  });
});

describe('retainer invoice actions', () => {
  const expected: Record<(typeof RETAINER_STATUSES)[number], string[]> = {
    draft: ['send', 'edit', 'delete'],
    sent: ['void', 'record_payment'],
    partially_paid: ['void', 'record_payment'],
    paid: ['void'],
    void: ['reopen'],
  };
  for (const status of RETAINER_STATUSES) {
    test(`${status}: ${expected[status].join(', ')}`, () => {
      assert.deepEqual(retainerActions({ status, creditApplied: false }), expected[status]);
    });
  }
  test('not voided while its credit is applied to invoices', () => {
    for (const status of RETAINER_STATUSES) {
      const actions = retainerActions({ status, creditApplied: true });
      assert.ok(!actions.includes('void'));
      assert.deepEqual(
        actions,
        expected[status].filter((action) => action !== 'void'),
      );
    }
  });
  test('every action named is a retainer action, and void follows the machine', () => {
    for (const status of RETAINER_STATUSES) {
      const actions = retainerActions({ status, creditApplied: false });
      assert.ok(actions.every((action) => RETAINER_ACTIONS.includes(action)));
      assert.equal(actions.includes('void'), canTransition(retainerMachine, status, 'void'));
    }
  });
});
