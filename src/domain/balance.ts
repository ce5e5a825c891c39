/**
 * What is still owed on a document, and the rules for spreading a payment or a credit over documents:
 * money is never created (allocations never exceed what the payment or credit holds) and no document is
 * ever paid past zero.
 */
import { invalid } from './errors.js';
import { assertMinorUnits } from './money.js';

export interface DocumentMoney {
  total: number;
  paymentsApplied: number;
  creditsApplied: number;
  writtenOff: number;
}

/** balance = total − payments applied − credits applied − write-off (PRODUCT.md §5.1.6). */
export function documentBalance(money: DocumentMoney): number {
  assertMinorUnits(money.total, '/total');
  for (const key of ['paymentsApplied', 'creditsApplied', 'writtenOff'] as const) {
    assertMinorUnits(money[key], `/${key}`);
    if (money[key] < 0) throw invalid(`/${key}`, 'Must not be negative.');
  }
  return money.total - money.paymentsApplied - money.creditsApplied - money.writtenOff;
}

export interface Allocation {
  /** The invoice or retainer invoice receiving money. */
  documentId: string;
  amount: number;
}

export interface AllocationRequest {
  /** What the payment or credit can still give: its amount minus what it already applied. */
  available: number;
  allocations: readonly Allocation[];
  /** The current balance of every document the caller may allocate to; others are refused. */
  balances: ReadonlyMap<string, number>;
}

export interface AllocationOutcome {
  applied: number;
  /** available − applied: stays with the payment as customer credit. */
  unapplied: number;
}

/**
 * Checks allocations of one payment or credit: each a positive whole amount, at most one per document,
 * never more than that document's balance, and together never more than what is available.
 * Throws `validation_failed` at `/allocations/<i>/…` for the first violation.
 */
export function validateAllocations(request: AllocationRequest): AllocationOutcome {
  assertMinorUnits(request.available, '/amount');
  if (request.available < 0) throw invalid('/amount', 'Must not be negative.');

  const seen = new Set<string>();
  let applied = 0;
  request.allocations.forEach((allocation, index) => {
    const path = `/allocations/${index}`;
    const balance = request.balances.get(allocation.documentId);
    if (balance === undefined) throw invalid(`${path}/documentId`, 'No such document to apply to.');
    if (seen.has(allocation.documentId)) {
      throw invalid(`${path}/documentId`, 'The same document appears twice; give it one allocation.');
    }
    seen.add(allocation.documentId);

    assertMinorUnits(allocation.amount, `${path}/amount`);
    if (allocation.amount <= 0) throw invalid(`${path}/amount`, 'Must be more than zero.');
    if (allocation.amount > balance) {
      throw invalid(`${path}/amount`, 'Cannot apply more than the balance due.');
    }
    applied += allocation.amount;
    if (applied > request.available) {
      throw invalid(`${path}/amount`, 'The allocations add up to more than is available.');
    }
  });
  return { applied, unapplied: request.available - applied };
}
