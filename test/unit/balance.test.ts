import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type Allocation, documentBalance, validateAllocations } from '../../src/domain/balance.js';
import { AppError } from '../../src/domain/errors.js';

const validationAt = (path: string) => (error: unknown) =>
  error instanceof AppError && error.code === 'validation_failed' && error.errors[0]?.path === path;

describe('documentBalance', () => {
  test('total minus payments, credits and write-off', () => {
    assert.equal(
      documentBalance({ total: 10_000, paymentsApplied: 2_500, creditsApplied: 1_000, writtenOff: 500 }),
      6_000,
    );
    assert.equal(documentBalance({ total: 0, paymentsApplied: 0, creditsApplied: 0, writtenOff: 0 }), 0);
  });
  test('refuses fractional or negative parts', () => {
    assert.throws(
      () => documentBalance({ total: 1.5, paymentsApplied: 0, creditsApplied: 0, writtenOff: 0 }),
      validationAt('/total'),
    );
    assert.throws(
      () => documentBalance({ total: 100, paymentsApplied: -1, creditsApplied: 0, writtenOff: 0 }),
      validationAt('/paymentsApplied'),
    );
  });
});

describe('validateAllocations', () => {
  const balances = new Map([
    ['inv_a', 1_000],
    ['inv_b', 500],
    ['inv_paid', 0],
  ]);
  const check = (available: number, allocations: Allocation[]) =>
    validateAllocations({ available, allocations, balances });

  test('applied and unapplied parts', () => {
    assert.deepEqual(
      check(2_000, [
        { documentId: 'inv_a', amount: 1_000 },
        { documentId: 'inv_b', amount: 200 },
      ]),
      {
        applied: 1_200,
        unapplied: 800,
      },
    );
    assert.deepEqual(check(300, []), { applied: 0, unapplied: 300 });
  });
  test('refusals, each at its path', () => {
    assert.throws(() => check(2_000, [{ documentId: 'inv_a', amount: 0 }]), validationAt('/allocations/0/amount'));
    assert.throws(() => check(2_000, [{ documentId: 'inv_a', amount: -5 }]), validationAt('/allocations/0/amount'));
    assert.throws(() => check(2_000, [{ documentId: 'inv_a', amount: 1.5 }]), validationAt('/allocations/0/amount'));
    assert.throws(() => check(2_000, [{ documentId: 'inv_a', amount: 1_001 }]), validationAt('/allocations/0/amount'));
    assert.throws(() => check(2_000, [{ documentId: 'inv_paid', amount: 1 }]), validationAt('/allocations/0/amount'));
    assert.throws(() => check(2_000, [{ documentId: 'inv_x', amount: 1 }]), validationAt('/allocations/0/documentId'));
    assert.throws(
      () =>
        check(2_000, [
          { documentId: 'inv_b', amount: 1 },
          { documentId: 'inv_b', amount: 1 },
        ]),
      validationAt('/allocations/1/documentId'),
    );
    assert.throws(
      () =>
        check(1_100, [
          { documentId: 'inv_a', amount: 1_000 },
          { documentId: 'inv_b', amount: 200 },
        ]),
      validationAt('/allocations/1/amount'),
    );
    assert.throws(() => check(-1, []), validationAt('/amount'));
  });
});

describe('allocations: properties', () => {
  const ids = ['inv_1', 'inv_2', 'inv_3', 'inv_4', 'inv_5'];
  const scenario = fc.record({
    totals: fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: ids.length, maxLength: ids.length }),
    payments: fc.array(
      fc.record({
        amount: fc.integer({ min: 0, max: 150_000 }),
        allocations: fc.array(
          fc.record({
            documentId: fc.constantFrom(...ids, 'inv_unknown'),
            // Mostly plausible amounts, so that most payments go through; some wild ones.
            amount: fc.oneof(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: -10, max: 120_000 })),
          }),
          { maxLength: 4 },
        ),
      }),
      { maxLength: 12 },
    ),
  });

  test('random payments never push a balance below zero and conserve money', () => {
    fc.assert(
      fc.property(scenario, ({ totals, payments }) => {
        const applied = new Map(ids.map((id) => [id, 0]));
        const total = (id: string) => totals[ids.indexOf(id)] ?? 0;
        const balanceOf = (id: string) =>
          documentBalance({
            total: total(id),
            paymentsApplied: applied.get(id) ?? 0,
            creditsApplied: 0,
            writtenOff: 0,
          });
        let received = 0;
        let credit = 0;

        for (const payment of payments) {
          const balances = new Map(ids.map((id) => [id, balanceOf(id)]));
          const documentIds = payment.allocations.map((a) => a.documentId);
          const sum = payment.allocations.reduce((s, a) => s + a.amount, 0);
          const shouldAccept =
            new Set(documentIds).size === documentIds.length &&
            payment.allocations.every(
              (a) => balances.has(a.documentId) && a.amount > 0 && a.amount <= (balances.get(a.documentId) ?? 0),
            ) &&
            sum <= payment.amount;

          let outcome: { applied: number; unapplied: number } | undefined;
          try {
            outcome = validateAllocations({ available: payment.amount, allocations: payment.allocations, balances });
          } catch (error) {
            assert.ok(error instanceof AppError && error.code === 'validation_failed');
          }
          assert.equal(outcome !== undefined, shouldAccept);
          if (!outcome) continue;

          assert.equal(outcome.applied + outcome.unapplied, payment.amount);
          for (const a of payment.allocations) applied.set(a.documentId, (applied.get(a.documentId) ?? 0) + a.amount);
          received += payment.amount;
          credit += outcome.unapplied;
        }

        let appliedEverywhere = 0;
        for (const id of ids) {
          assert.ok(balanceOf(id) >= 0, `${id} went below zero`);
          appliedEverywhere += total(id) - balanceOf(id);
        }
        assert.equal(appliedEverywhere + credit, received);
      }),
    );
  });
});
