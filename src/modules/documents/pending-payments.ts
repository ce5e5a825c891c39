import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import type { Database, PaymentAttemptStatus } from '../../db/schema.js';
import { Id, Nullable, Timestamp } from '../../http/schemas.js';
import { contactName } from '../customers/index.js';

/*
 * The online payments still open on an invoice or a retainer invoice (issue 18): each holds part of the balance
 * until it settles, fails or lapses, so the business's and the client's pages say so, with when it lapses.
 * The read lives here, below both the document capabilities and online-payments, which all need it.
 */

/** An attempt holds its documents while it is in one of these: the gateway's page waits, or a charge is in flight. */
export const LIVE_ATTEMPT_STATUSES: readonly PaymentAttemptStatus[] = ['pending', 'requires_action'];

/**
 * `requires_action`: the gateway's page waits for the card, until `lapsesAt`; `pending`: a charge is in flight
 * and the gateway's answer settles or fails it (no lapse time: money is never abandoned).
 */
const fields = {
  status: Type.Union([Type.Literal('pending'), Type.Literal('requires_action')]),
  /** What it holds of this document's balance. */
  amount: Type.Integer(),
  startedAt: Timestamp,
  lapsesAt: Nullable(Timestamp),
};

/** A pending online payment as the business sees it. */
export const PendingPayment = Type.Object({
  attemptId: Id('pat'),
  ...fields,
  startedBy: Type.Object({ id: Type.String(), name: Type.String() }),
});

/** A pending online payment as a client sees it: its id only when it is their own (they may cancel it). */
export const PortalPendingPayment = Type.Object({
  attemptId: Nullable(Id('pat')),
  yours: Type.Boolean(),
  ...fields,
});

export type PendingDocument = { invoiceId: string } | { retainerInvoiceId: string };
const idOf = (document: PendingDocument) => ('invoiceId' in document ? document.invoiceId : document.retainerInvoiceId);

/**
 * The live attempts holding part of one document, oldest first. A page whose time is up no longer counts: the
 * next Pay Now or the scheduler ends it (it is no longer payable at the gateway).
 */
export async function pendingPaymentsOn(
  db: Kysely<Database>,
  organizationId: string,
  document: PendingDocument,
  now: Date,
) {
  const rows = await db
    .selectFrom('paymentAttemptAllocations as a')
    .innerJoin('paymentAttempts as p', 'p.id', 'a.attemptId')
    .innerJoin('contactPersons as cp', 'cp.id', 'p.contactPersonId')
    .select(['p.id', 'p.status', 'p.contactPersonId', 'p.createdAt', 'p.expiresAt', 'a.amount'])
    .select(['cp.firstName', 'cp.lastName'])
    .where('a.organizationId', '=', organizationId)
    .where('invoiceId' in document ? 'a.invoiceId' : 'a.retainerInvoiceId', '=', idOf(document))
    .where('p.status', 'in', [...LIVE_ATTEMPT_STATUSES])
    .orderBy('p.createdAt')
    .orderBy('p.id')
    .execute();
  const nowText = now.toISOString();
  return rows
    .filter((row) => row.status === 'pending' || row.expiresAt > nowText)
    .map((row) => ({
      attemptId: row.id,
      status: row.status as 'pending' | 'requires_action',
      amount: Number(row.amount),
      startedAt: row.createdAt,
      lapsesAt: row.status === 'requires_action' ? row.expiresAt : null,
      startedBy: { id: row.contactPersonId, name: contactName(row) },
    }));
}

type PendingPaymentView = Awaited<ReturnType<typeof pendingPaymentsOn>>[number];

/** The client's view: who started another person's payment, and its id, stay theirs. */
export function presentForClient(pending: PendingPaymentView[], contactPersonId: string) {
  return pending.map(({ startedBy, attemptId, ...rest }) => {
    const yours = startedBy.id === contactPersonId;
    return { attemptId: yours ? attemptId : null, yours, ...rest };
  });
}
