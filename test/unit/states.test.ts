import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { AppError } from '../../src/domain/errors.js';
import { canEditEstimate, decideEstimate, estimateMachine } from '../../src/domain/estimate-states.js';
import {
  type InvoiceStatus,
  invoiceMachine,
  invoiceStatusFor,
  retainerMachine,
  retainerStatusFor,
} from '../../src/domain/invoice-states.js';
import { projectMachine, timeEntryMachine } from '../../src/domain/project-states.js';
import { recurringMachine } from '../../src/domain/recurring-states.js';
import { actionsOf, availableActions, type StateMachine, transition } from '../../src/domain/states.js';
import { timeApprovalMachine } from '../../src/domain/time-approval.js';

/**
 * The documented transitions, written out independently of the machines: "from action to".
 * Every pair not listed must be refused.
 */
const documented: Record<string, { machine: StateMachine<string, string>; actions: string[]; edges: string[] }> = {
  estimate: {
    machine: estimateMachine,
    actions: ['send', 'request_changes', 'accept', 'decline', 'expire', 'convert'],
    edges: [
      'draft send sent',
      'declined send sent',
      'changes_requested send sent',
      'sent request_changes changes_requested',
      'sent accept accepted',
      'sent decline declined',
      'sent expire expired',
      'sent convert invoiced',
      'accepted convert invoiced',
    ],
  },
  invoice: {
    machine: invoiceMachine,
    actions: ['send', 'void', 'reopen'],
    edges: [
      'draft send sent',
      'sent void void',
      'overdue void void',
      'partially_paid void void',
      'paid void void',
      'void reopen draft',
    ],
  },
  'retainer invoice': {
    machine: retainerMachine,
    actions: ['send', 'void', 'reopen'],
    edges: ['draft send sent', 'sent void void', 'partially_paid void void', 'paid void void', 'void reopen draft'],
  },
  'recurring profile': {
    machine: recurringMachine,
    actions: ['stop', 'resume', 'expire'],
    edges: ['active stop stopped', 'stopped resume active', 'active expire expired'],
  },
  project: {
    machine: projectMachine,
    actions: ['deactivate', 'activate'],
    edges: ['active deactivate inactive', 'inactive activate active'],
  },
  'time entry': {
    machine: timeEntryMachine,
    actions: ['invoice', 'release'],
    edges: ['unbilled invoice invoiced', 'invoiced release unbilled'],
  },
  // docs/time-approval.md: the client approves or queries; the business asks again.
  'time approval': {
    machine: timeApprovalMachine,
    actions: ['approve', 'query', 'resubmit'],
    edges: [
      'awaiting_approval approve approved',
      'awaiting_approval query queried',
      'queried resubmit awaiting_approval',
      'approved resubmit awaiting_approval',
    ],
  },
};

const isInvalidTransition = (error: unknown) => error instanceof AppError && error.code === 'invalid_transition';

for (const [name, { machine, actions, edges }] of Object.entries(documented)) {
  describe(`${name} transitions`, () => {
    const allowed = new Map(
      edges.map((edge) => {
        const [from, action, to] = edge.split(' ');
        return [`${from} ${action}`, to];
      }),
    );

    test('the machine has exactly the documented actions', () => {
      assert.deepEqual(actionsOf(machine).sort(), [...actions].sort());
    });

    for (const from of machine.statuses) {
      for (const action of actions) {
        const to = allowed.get(`${from} ${action}`);
        test(`${from} + ${action} → ${to ?? 'refused'}`, () => {
          if (to === undefined) {
            assert.throws(() => transition(machine, from, action), isInvalidTransition);
          } else {
            assert.equal(transition(machine, from, action), to);
          }
        });
      }
    }

    test('unknown actions and statuses are refused, not crashes', () => {
      assert.throws(() => transition(machine, machine.statuses[0] ?? '', 'toString'), isInvalidTransition);
      assert.throws(() => transition(machine, '__proto__', actions[0] ?? ''), isInvalidTransition);
      assert.throws(() => transition(machine, 'hasOwnProperty', actions[0] ?? ''), isInvalidTransition);
    });

    test('random action sequences stay within documented statuses and edges', () => {
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...actions), { maxLength: 40 }), (sequence) => {
          let status = machine.statuses[0] ?? '';
          for (const action of sequence) {
            const to = allowed.get(`${status} ${action}`);
            if (to === undefined) {
              assert.throws(() => transition(machine, status, action), isInvalidTransition);
              continue;
            }
            assert.equal(transition(machine, status, action), to);
            assert.ok(machine.statuses.includes(to));
            status = to;
          }
        }),
      );
    });

    test('availableActions lists exactly the allowed actions', () => {
      for (const from of machine.statuses) {
        const expected = actions.filter((action) => allowed.has(`${from} ${action}`));
        assert.deepEqual(availableActions(machine, from).sort(), expected.sort());
      }
    });
  });
}

describe('estimate rules', () => {
  test('editable only as a draft, once changes were requested, or once declined', () => {
    const editable = estimateMachine.statuses.filter(canEditEstimate);
    assert.deepEqual(editable, ['draft', 'changes_requested', 'declined']);
  });
  test('changes are requested of a sent, unexpired estimate only, and it is decided again only once re-sent', () => {
    const sent = { status: 'sent' as const, expiryDate: '2026-03-31' };
    assert.equal(decideEstimate(sent, 'request_changes', '2026-03-31'), 'changes_requested');
    assert.throws(() => decideEstimate(sent, 'request_changes', '2026-04-01'), isInvalidTransition);
    const waiting = { status: 'changes_requested' as const, expiryDate: '2026-03-31' };
    for (const decision of ['accept', 'decline', 'request_changes'] as const) {
      assert.throws(() => decideEstimate(waiting, decision, '2026-03-01'), isInvalidTransition);
    }
    assert.equal(transition(estimateMachine, 'changes_requested', 'send'), 'sent');
    assert.throws(() => transition(estimateMachine, 'changes_requested', 'expire'), isInvalidTransition);
  });
  test('a client decides a sent estimate until its expiry date, inclusive', () => {
    const sent = { status: 'sent' as const, expiryDate: '2026-03-31' };
    assert.equal(decideEstimate(sent, 'accept', '2026-03-31'), 'accepted');
    assert.equal(decideEstimate(sent, 'decline', '2026-03-01'), 'declined');
    assert.throws(() => decideEstimate(sent, 'accept', '2026-04-01'), isInvalidTransition);
    assert.equal(decideEstimate({ status: 'sent', expiryDate: null }, 'accept', '2099-01-01'), 'accepted');
    assert.throws(
      () => decideEstimate({ status: 'accepted', expiryDate: null }, 'decline', '2026-01-01'),
      isInvalidTransition,
    );
    assert.throws(
      () => decideEstimate({ status: 'draft', expiryDate: null }, 'accept', '2026-01-01'),
      isInvalidTransition,
    );
  });
});

describe('invoice status from money and dates', () => {
  const at = (status: InvoiceStatus, balance: number, dueDate: string | null = '2026-03-31', total = 1_000) =>
    invoiceStatusFor({ status, total, balance, dueDate, today: '2026-03-31' });

  test('draft and void are never changed by money', () => {
    for (const balance of [0, 500, 1_000]) {
      assert.equal(at('draft', balance, '2020-01-01'), 'draft');
      assert.equal(at('void', balance, '2020-01-01'), 'void');
    }
  });
  test('issued invoices', () => {
    for (const status of ['sent', 'overdue', 'partially_paid', 'paid'] as const) {
      assert.equal(at(status, 1_000), 'sent', 'due today is not overdue');
      assert.equal(at(status, 400), 'partially_paid');
      assert.equal(at(status, 0), 'paid');
      assert.equal(at(status, 1_000, '2026-03-30'), 'overdue');
      assert.equal(at(status, 400, '2026-03-30'), 'overdue', 'overdue wins over partially paid');
      assert.equal(at(status, 0, '2026-03-30'), 'paid');
      assert.equal(at(status, 400, null), 'partially_paid', 'no due date, never overdue');
    }
  });
  test('a zero-total invoice is paid once issued', () => {
    assert.equal(at('sent', 0, '2026-01-01', 0), 'paid');
    assert.equal(at('draft', 0, '2026-01-01', 0), 'draft');
  });
  test('retainers: paid, partially paid, sent; never overdue', () => {
    assert.equal(retainerStatusFor({ status: 'sent', total: 1_000, balance: 1_000 }), 'sent');
    assert.equal(retainerStatusFor({ status: 'sent', total: 1_000, balance: 1 }), 'partially_paid');
    assert.equal(retainerStatusFor({ status: 'partially_paid', total: 1_000, balance: 0 }), 'paid');
    assert.equal(retainerStatusFor({ status: 'void', total: 1_000, balance: 0 }), 'void');
    assert.equal(retainerStatusFor({ status: 'draft', total: 1_000, balance: 0 }), 'draft');
  });
  test('property: money-derived status is consistent with the balance', () => {
    const date = fc.integer({ min: 0, max: 60 }).map((d) => `2026-03-${String((d % 28) + 1).padStart(2, '0')}`);
    fc.assert(
      fc.property(
        fc.constantFrom<InvoiceStatus>('sent', 'overdue', 'partially_paid', 'paid'),
        fc.integer({ min: 0, max: 10_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.option(date, { nil: null }),
        date,
        (status, total, paidShare, dueDate, today) => {
          const balance = total - Math.floor(total * paidShare);
          const result = invoiceStatusFor({ status, total, balance, dueDate, today });
          assert.equal(result === 'paid', balance === 0);
          if (result === 'overdue') assert.ok(dueDate !== null && dueDate < today && balance > 0);
          if (result === 'sent') assert.equal(balance, total);
        },
      ),
    );
  });
});
