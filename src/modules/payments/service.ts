import { type Kysely, sql, type Transaction } from 'kysely';
import type { Static } from 'typebox';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import type { Dialect, Placeholders } from '../../db/database.js';
import { newId } from '../../db/ids.js';
import { jsonBoolean, jsonObject, jsonText } from '../../db/json.js';
import type { Database, PaymentMode } from '../../db/schema.js';
import { type AllocationOutcome, type AllocationRequest, validateAllocations } from '../../domain/balance.js';
import { assertDate } from '../../domain/dates.js';
import { AppError, invalid, notFound } from '../../domain/errors.js';
import { canPayRetainer, canReceivePayment } from '../../domain/invoice-states.js';
import { formatMoneyPlain } from '../../domain/money.js';
import { TEST_PAYMENT_LABEL } from '../../domain/test-mode.js';
import { preparedJsonList } from '../../http/pagination.js';
import { contactNameSql } from '../customers/index.js';
import {
  type FilterArgs,
  foundDocuments,
  listFilters,
  type MoneyHistoryEntry,
  organizationOf,
  withListFilters,
  writeMoneyHistory,
} from '../documents/index.js';
import { recomputeInvoiceMoney } from '../invoices/index.js';
import { nextDocumentNumber } from '../numbering/index.js';
import { organizationToday } from '../organization/index.js';
import { lockRetainerInvoice, recomputeRetainerMoney } from '../retainer-invoices/index.js';
import type { ApplyCreditInput, PaymentInput, PaymentPatch } from './schemas.js';

/*
 * Concurrency. Every use case that moves money runs in one transaction and takes its row locks in one global
 * order — invoices (by id) → retainer invoices → customer payments (by id) — then re-reads balances and
 * unapplied amounts under those locks before checking anything. On PostgreSQL (READ COMMITTED) the locks are
 * `SELECT … FOR UPDATE`, so two payments of one invoice queue up and the second sees the first's balance.
 * SQLite has no row locks and needs none: Kysely runs each transaction on the single connection, one at a time.
 */

type Trx = Transaction<Database>;
type Reader = Kysely<Database> | Trx;

const money = (amount: number, currency: string) => `${currency} ${formatMoneyPlain(amount, currency)}`;
const forUpdateOn = (ctx: AppContext) => ctx.db.dialect === 'postgres';

const MODE_WORDS: Record<PaymentMode, string> = {
  cash: 'in cash',
  bank_transfer: 'by bank transfer',
  check: 'by check',
  card: 'by card',
  other: '',
};

// ---------------------------------------------------------------------------------------------------------------
// Reading

/** The name of the contact person who paid in the portal (joined as `pb`): first and last name. */
const paidByName = contactNameSql('pb');

/** Payments of the organization, with their customer, their retainer invoice and who paid in the portal (`pb`) joined. */
function fromPayments(db: Reader, organizationId: string, filters = '') {
  return db
    .selectFrom('customerPayments')
    .innerJoin('customers', 'customers.id', 'customerPayments.customerId')
    .leftJoin('retainerInvoices', 'retainerInvoices.id', 'customerPayments.retainerInvoiceId')
    .leftJoin('contactPersons as pb', (join) =>
      join.onRef('pb.id', '=', 'customerPayments.paidByContactPersonId').on('pb.organizationId', '=', organizationId),
    )
    .where(organizationOf('customerPayments.organizationId', organizationId, filters));
}

function selectPayments(db: Reader, organizationId: string) {
  return fromPayments(db, organizationId)
    .selectAll('customerPayments')
    .select([
      'customers.displayName as customerName',
      'retainerInvoices.number as retainerInvoiceNumber',
      paidByName.as('paidByName'),
    ]);
}

/**
 * A payment as the list's items show it, written as JSON by the query (`preparedJsonList`): the same keys, in the
 * same order, as `presentPayment` (test/api/list-items.test.ts holds them to the detail).
 */
function paymentJson(dialect: Dialect) {
  const ref = (column: string) => sql.ref(`customerPayments.${column}`);
  return jsonText(
    dialect,
    jsonObject(dialect, {
      id: ref('id'),
      number: ref('number'),
      customerId: ref('customerId'),
      customerName: sql.ref('customers.displayName'),
      date: ref('paymentDate'),
      amount: ref('amount'),
      unapplied: ref('unapplied'),
      applied: sql`${ref('amount')} - ${ref('unapplied')}`,
      currency: ref('currency'),
      mode: ref('mode'),
      reference: ref('reference'),
      notes: ref('notes'),
      source: ref('source'),
      paidByContactPersonId: ref('paidByContactPersonId'),
      // The join finds no one when nobody paid in the portal, or when that contact person is gone: null either way.
      paidByName,
      retainerInvoiceId: ref('retainerInvoiceId'),
      retainerInvoiceNumber: sql.ref('retainerInvoices.number'),
      testMode: jsonBoolean(dialect, sql`${ref('testMode')} = 1`),
      createdAt: ref('createdAt'),
      updatedAt: ref('updatedAt'),
    }),
  );
}

type PaymentRow = Awaited<ReturnType<ReturnType<typeof selectPayments>['executeTakeFirstOrThrow']>>;

function presentPayment(row: PaymentRow) {
  return {
    id: row.id,
    number: row.number,
    customerId: row.customerId,
    customerName: row.customerName,
    date: row.paymentDate,
    amount: row.amount,
    unapplied: row.unapplied,
    applied: row.amount - row.unapplied,
    currency: row.currency,
    mode: row.mode,
    reference: row.reference,
    notes: row.notes,
    source: row.source,
    paidByContactPersonId: row.paidByContactPersonId,
    paidByName: row.paidByContactPersonId ? (row.paidByName ?? null) : null,
    retainerInvoiceId: row.retainerInvoiceId,
    retainerInvoiceNumber: row.retainerInvoiceNumber,
    testMode: row.testMode === 1,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** A payment of the scope's organization with where it went (released allocations included), or 404. */
export async function getPayment(ctx: AppContext, scope: OrgScope, paymentId: string) {
  const row = await selectPayments(ctx.db.kysely, scope.organizationId)
    .where('customerPayments.id', '=', paymentId)
    .executeTakeFirst();
  if (!row) throw notFound('payment');
  const allocations = await ctx.db.kysely
    .selectFrom('paymentAllocations')
    .innerJoin('invoices', 'invoices.id', 'paymentAllocations.invoiceId')
    .select([
      'paymentAllocations.id',
      'paymentAllocations.invoiceId',
      'invoices.number as invoiceNumber',
      'paymentAllocations.amount',
      'paymentAllocations.kind',
      'paymentAllocations.appliedOn',
      'paymentAllocations.releasedAt',
    ])
    .where('paymentAllocations.organizationId', '=', scope.organizationId)
    .where('paymentAllocations.paymentId', '=', paymentId)
    // Allocations written together share a timestamp; the invoice number keeps their order stable.
    .orderBy('paymentAllocations.createdAt')
    .orderBy('invoices.number')
    .orderBy('paymentAllocations.id')
    .execute();
  return {
    ...presentPayment(row),
    allocations: allocations.map((a) => ({ ...a, released: a.releasedAt !== null })),
  };
}

export async function listPayments(
  ctx: AppContext,
  scope: OrgScope,
  query: {
    customerId?: string;
    from?: string;
    to?: string;
    q?: string;
    mode?: PaymentMode;
    testMode?: boolean;
    limit?: number;
    cursor?: string;
  },
) {
  const filters = listFilters(
    query,
    await foundDocuments(ctx.db.kysely, 'customerPayments', scope.organizationId, query.q),
  );
  const testMode = query.testMode === undefined ? '' : 'testMode';
  return paymentPage(
    ctx.db,
    {
      ...filters.args,
      organizationId: scope.organizationId,
      mode: query.mode ?? '',
      testMode: query.testMode ? 1 : 0,
    },
    `${query.mode ? 'mode' : ''},${testMode}/${filters.shape}`,
    query,
  );
}

/** The business's payment list, newest first by the day the money was received, compiled once per shape: whether a mode is given, and the filters given. */
const paymentPage = preparedJsonList(
  (db, args: Placeholders<FilterArgs & { organizationId: string; mode: string; testMode: 0 | 1 }>, shape, dialect) => {
    const [own = '', filters = ''] = shape.split('/');
    const given = new Set(own.split(','));
    return withListFilters(
      db,
      fromPayments(db, args.organizationId, filters)
        .select([paymentJson(dialect).as('item'), 'customerPayments.paymentDate as sortKey', 'customerPayments.id'])
        .$if(given.has('mode'), (q) => q.where('customerPayments.mode', '=', args.mode as PaymentMode))
        .$if(given.has('testMode'), (q) => q.where('customerPayments.testMode', '=', args.testMode)),
      { table: 'customerPayments', customers: 'customers', date: 'paymentDate' },
      filters,
      args,
    );
  },
  { key: 'customerPayments.paymentDate', id: 'customerPayments.id', direction: 'desc' },
);

async function customerOf(db: Reader, scope: OrgScope, customerId: string) {
  const customer = await db
    .selectFrom('customers')
    .select(['id', 'currency', 'displayName'])
    .where('id', '=', customerId)
    .where('organizationId', '=', scope.organizationId)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  if (!customer) throw notFound('customer');
  return customer;
}

/** What the customer can still apply: unapplied payments (retainer credit included), oldest first. */
export async function getCustomerCredits(ctx: AppContext, scope: OrgScope, customerId: string) {
  const customer = await customerOf(ctx.db.kysely, scope, customerId);
  const payments = await ctx.db.kysely
    .selectFrom('customerPayments')
    .leftJoin('retainerInvoices', 'retainerInvoices.id', 'customerPayments.retainerInvoiceId')
    .select([
      'customerPayments.id',
      'customerPayments.number',
      'customerPayments.paymentDate',
      'customerPayments.amount',
      'customerPayments.unapplied',
      'customerPayments.currency',
      'customerPayments.mode',
      'customerPayments.reference',
      'customerPayments.retainerInvoiceId',
      'retainerInvoices.number as retainerInvoiceNumber',
    ])
    .where('customerPayments.organizationId', '=', scope.organizationId)
    .where('customerPayments.customerId', '=', customerId)
    .where('customerPayments.unapplied', '>', sql.lit(0)) // literal: customer_payments_credit_idx is partial
    .orderBy('customerPayments.paymentDate')
    .orderBy('customerPayments.createdAt')
    .orderBy('customerPayments.id')
    .execute();
  // Credit in another currency (the customer's currency changed since) is listed but cannot be summed with it.
  const usable = payments.filter((p) => p.currency === customer.currency);
  return {
    customerId,
    currency: customer.currency,
    availableCredit: usable.reduce((sum, p) => sum + p.unapplied, 0),
    retainerCredit: usable.filter((p) => p.retainerInvoiceId !== null).reduce((sum, p) => sum + p.unapplied, 0),
    payments: payments.map(({ paymentDate, ...p }) => ({ ...p, date: paymentDate })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Locking and re-deriving

/** Locks the invoices (PostgreSQL, in id order) and returns their current money, keyed by id. */
export async function lockInvoices(ctx: AppContext, trx: Trx, organizationId: string, invoiceIds: readonly string[]) {
  const ids = [...new Set(invoiceIds)].sort();
  if (ids.length === 0) return new Map<string, LockedInvoice>();
  const rows = await trx
    .selectFrom('invoices')
    .select(['id', 'customerId', 'number', 'status', 'currency', 'total', 'balance'])
    .where('organizationId', '=', organizationId)
    .where('id', 'in', ids)
    .orderBy('id')
    .$if(forUpdateOn(ctx), (q) => q.forUpdate())
    .execute();
  return new Map(rows.map((row) => [row.id, row]));
}

type LockedInvoice = {
  id: string;
  customerId: string;
  number: string;
  status: Database['invoices']['status'];
  currency: string;
  total: number;
  balance: number;
};

/**
 * Re-derives a payment's unapplied amount from its live allocations, inside the caller's transaction. Call it
 * for every payment whose allocations change (recorded, credit applied, released by an invoice void).
 */
export async function recomputePaymentUnapplied(
  trx: Trx,
  organizationId: string,
  paymentId: string,
  now: string,
): Promise<void> {
  const payment = await trx
    .selectFrom('customerPayments')
    .select('amount')
    .where('id', '=', paymentId)
    .where('organizationId', '=', organizationId)
    .executeTakeFirstOrThrow();
  const applied = await trx
    .selectFrom('paymentAllocations')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.lit(0)).as('amount'))
    .where('organizationId', '=', organizationId)
    .where('paymentId', '=', paymentId)
    .where('releasedAt', 'is', null)
    .executeTakeFirstOrThrow();
  const unapplied = payment.amount - Number(applied.amount);
  // The checks before every allocation make this impossible; refuse to store money that does not exist.
  if (unapplied < 0) throw new Error(`payment ${paymentId} is applied beyond its amount`);
  await trx
    .updateTable('customerPayments')
    .set({ unapplied, updatedAt: now })
    .where('id', '=', paymentId)
    .where('organizationId', '=', organizationId)
    .execute();
}

/** The invoice may receive money from this customer's payment or credit: same customer, currency, and open. */
function checkReceivingInvoice(
  invoice: LockedInvoice | undefined,
  customer: { id: string; currency: string },
  path: string,
): asserts invoice is LockedInvoice {
  if (!invoice) throw notFound('invoice');
  if (invoice.customerId !== customer.id) throw invalid(path, 'This invoice belongs to another customer.');
  if (!canReceivePayment(invoice.status)) {
    const why = invoice.status === 'paid' ? 'is already paid' : `is ${invoice.status}`;
    throw invalid(path, `Only a sent, overdue or partially paid invoice can receive money; this one ${why}.`);
  }
  if (invoice.currency !== customer.currency) {
    throw invalid(path, `This invoice is in ${invoice.currency}; the customer pays in ${customer.currency}.`);
  }
}

/** validateAllocations, with its error paths named as this API names the field (`invoiceId`). */
function checkAllocations(request: AllocationRequest): AllocationOutcome {
  try {
    return validateAllocations(request);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    throw new AppError(
      error.code,
      error.message,
      error.errors.map((e) => ({ ...e, path: e.path.replace(/\/documentId$/, '/invoiceId') })),
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Recording, editing and deleting payments

/**
 * Records a payment received from a customer and, in the same transaction, applies it to invoices
 * (`allocations`, the rest stays as customer credit) or to a retainer invoice (`retainerInvoiceId`: the whole
 * amount is retainer credit, applied to invoices later). All or nothing.
 */
export async function recordPayment(ctx: AppContext, scope: OrgScope, input: Static<typeof PaymentInput>) {
  assertDate(input.date, '/date');
  const allocations = input.allocations ?? [];
  if (input.retainerInvoiceId !== undefined && allocations.length > 0) {
    throw invalid(
      '/allocations',
      'A retainer payment is not applied to invoices when received; apply its credit to invoices afterwards.',
    );
  }
  const customer = await customerOf(ctx.db.kysely, scope, input.customerId);
  if (input.currency !== undefined && input.currency !== customer.currency) {
    throw invalid('/currency', `This customer pays in ${customer.currency}.`);
  }
  const organizationId = scope.organizationId;
  const id = newId('pay');
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const history: MoneyHistoryEntry[] = [];
    let unapplied = input.amount;
    let invoices = new Map<string, LockedInvoice>();
    let retainer: Awaited<ReturnType<typeof lockRetainerInvoice>>;

    if (input.retainerInvoiceId !== undefined) {
      retainer = await lockRetainerInvoice(ctx, trx, organizationId, input.retainerInvoiceId);
      if (!retainer) throw notFound('retainer invoice');
      if (retainer.customerId !== customer.id) {
        throw invalid('/retainerInvoiceId', 'This retainer invoice belongs to another customer.');
      }
      if (!canPayRetainer(retainer.status)) {
        throw invalid('/retainerInvoiceId', `Only a sent or partially paid retainer invoice can be paid.`);
      }
      if (retainer.currency !== customer.currency) {
        throw invalid('/retainerInvoiceId', `This retainer invoice is in ${retainer.currency}.`);
      }
      if (input.amount > retainer.balance) {
        throw invalid(
          '/amount',
          `More than the retainer's balance due (${money(retainer.balance, retainer.currency)}).`,
        );
      }
    } else if (allocations.length > 0) {
      invoices = await lockInvoices(
        ctx,
        trx,
        organizationId,
        allocations.map((a) => a.invoiceId),
      );
      allocations.forEach((allocation, index) => {
        checkReceivingInvoice(invoices.get(allocation.invoiceId), customer, `/allocations/${index}/invoiceId`);
      });
      // Balances as they are now, under the locks: a payment committed meanwhile is already counted.
      const outcome = checkAllocations({
        available: input.amount,
        allocations: allocations.map((a) => ({ documentId: a.invoiceId, amount: a.amount })),
        balances: new Map([...invoices.values()].map((invoice) => [invoice.id, invoice.balance])),
      });
      unapplied = outcome.unapplied;
    }

    await writeReceivedPayment(ctx, trx, {
      id,
      organizationId,
      customerId: customer.id,
      currency: customer.currency,
      amount: input.amount,
      unapplied,
      date: input.date,
      mode: input.mode,
      reference: input.reference ?? null,
      notes: input.notes ?? null,
      source: 'offline',
      retainerInvoiceId: retainer ? retainer.id : null,
      paidByContactPersonId: null,
      recordedByUserId: scope.userId,
      allocations,
      history,
    });
    await writeMoneyHistory(trx, ctx, scope, history);
  });
  return getPayment(ctx, scope, id);
}

/** A payment as it is written once every check has passed (its invoices and retainer locked by the caller). */
export interface ReceivedPayment {
  id: string;
  organizationId: string;
  customerId: string;
  currency: string;
  amount: number;
  /** What stays as the customer's credit: `amount` minus the allocations (all of it for a retainer). */
  unapplied: number;
  date: string;
  mode: PaymentMode;
  reference: string | null;
  notes: string | null;
  source: 'offline' | 'portal';
  retainerInvoiceId: string | null;
  paidByContactPersonId: string | null;
  recordedByUserId: string | null;
  /** Made through a gateway in test mode: no money moved (payments the business records are real). */
  testMode?: boolean;
  allocations: ReadonlyArray<{ invoiceId: string; amount: number }>;
  /** The history entries are pushed here; the caller writes them with its actor. */
  history: MoneyHistoryEntry[];
  /** Portal payments: who paid, for the invoices' history ("paid online by Ann Baker"). */
  paidByName?: string;
}

/**
 * Writes a received payment inside the caller's transaction: the payment (with its number), its allocations,
 * the invoices' and retainer's re-derived money, and the history entries (pushed on `input.history`). The one
 * way a payment is written, for payments the business records and payments made in the portal alike.
 */
export async function writeReceivedPayment(ctx: AppContext, trx: Trx, input: ReceivedPayment): Promise<string> {
  const { id, organizationId } = input;
  const now = ctx.now().toISOString();
  const number = await nextDocumentNumber(trx, organizationId, 'payment');
  await trx
    .insertInto('customerPayments')
    .values({
      id,
      organizationId,
      customerId: input.customerId,
      number,
      paymentDate: input.date,
      amount: input.amount,
      unapplied: input.unapplied,
      currency: input.currency,
      mode: input.mode,
      reference: input.reference,
      notes: input.notes,
      source: input.source,
      retainerInvoiceId: input.retainerInvoiceId,
      paidByContactPersonId: input.paidByContactPersonId,
      recordedByUserId: input.recordedByUserId,
      testMode: input.testMode ? 1 : 0,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  const history = input.history;
  const words = input.paidByName ? `paid online by ${input.paidByName}` : MODE_WORDS[input.mode];
  history.push({
    subjectType: 'customer_payment',
    subjectId: id,
    event: 'payment_recorded',
    description: `Payment ${number} of ${money(input.amount, input.currency)} received${words ? ` ${words}` : ''}${input.testMode ? ` (${TEST_PAYMENT_LABEL})` : ''}.`,
  });

  if (input.allocations.length > 0) {
    await trx
      .insertInto('paymentAllocations')
      .values(
        input.allocations.map((a) => ({
          id: newId('alc'),
          organizationId,
          paymentId: id,
          invoiceId: a.invoiceId,
          kind: 'payment' as const,
          amount: a.amount,
          appliedOn: input.date,
          releasedAt: null,
          createdAt: now,
        })),
      )
      .execute();
    const today = await organizationToday(ctx, organizationId, trx);
    for (const allocation of input.allocations) {
      await recomputeInvoiceMoney(trx, organizationId, allocation.invoiceId, today, now);
      history.push({
        subjectType: 'invoice',
        subjectId: allocation.invoiceId,
        event: input.paidByName ? 'paid' : 'payment_recorded',
        description: input.paidByName
          ? `Paid online by ${input.paidByName}: ${money(allocation.amount, input.currency)} (payment ${number}).`
          : `Payment ${number}: ${money(allocation.amount, input.currency)} applied.`,
      });
    }
  }
  if (input.retainerInvoiceId) {
    await recomputeRetainerMoney(trx, organizationId, input.retainerInvoiceId, now);
    history.push({
      subjectType: 'retainer_invoice',
      subjectId: input.retainerInvoiceId,
      event: input.paidByName ? 'paid' : 'payment_recorded',
      description: `Payment ${number} of ${money(input.amount, input.currency)} received${input.paidByName ? ` (paid online by ${input.paidByName})` : ''}; it is retainer credit.`,
    });
  }
  return number;
}

/** Reference, notes, mode and date only: the amount and where it went change by deleting and re-recording. */
export async function updatePayment(
  ctx: AppContext,
  scope: OrgScope,
  paymentId: string,
  patch: Static<typeof PaymentPatch>,
) {
  if (patch.date !== undefined) assertDate(patch.date, '/date');
  const current = await getPayment(ctx, scope, paymentId);
  const now = ctx.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx
      .updateTable('customerPayments')
      .set({
        ...(patch.date !== undefined ? { paymentDate: patch.date } : {}),
        ...(patch.mode !== undefined ? { mode: patch.mode } : {}),
        ...(patch.reference !== undefined ? { reference: patch.reference } : {}),
        ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
        updatedAt: now,
      })
      .where('id', '=', paymentId)
      .where('organizationId', '=', scope.organizationId)
      .execute();
    if (patch.date !== undefined && patch.date !== current.date) {
      // What was applied at receipt was applied on the payment's date; credit applied later keeps its own date.
      await trx
        .updateTable('paymentAllocations')
        .set({ appliedOn: patch.date })
        .where('paymentId', '=', paymentId)
        .where('organizationId', '=', scope.organizationId)
        .where('kind', '=', 'payment')
        .execute();
    }
    const changed = (Object.keys(patch) as Array<keyof typeof patch>).join(', ');
    await writeMoneyHistory(trx, ctx, scope, [
      { subjectType: 'customer_payment', subjectId: paymentId, event: 'updated', description: `Edited: ${changed}.` },
    ]);
  });
  return getPayment(ctx, scope, paymentId);
}

/**
 * Deletes a payment recorded by the business and every allocation of it, then re-derives each invoice it paid
 * and the retainer it paid: their balances come back as if it had never been received.
 */
export async function deletePayment(ctx: AppContext, scope: OrgScope, paymentId: string) {
  const current = await getPayment(ctx, scope, paymentId);
  if (current.source !== 'offline') {
    throw new AppError('conflict', 'A payment received online cannot be deleted here.');
  }
  const organizationId = scope.organizationId;
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const invoices = await lockInvoices(
      ctx,
      trx,
      organizationId,
      current.allocations.map((a) => a.invoiceId),
    );
    if (current.retainerInvoiceId) await lockRetainerInvoice(ctx, trx, organizationId, current.retainerInvoiceId);
    const payment = await trx
      .selectFrom('customerPayments')
      .select(['id', 'number', 'amount', 'currency', 'retainerInvoiceId'])
      .where('id', '=', paymentId)
      .where('organizationId', '=', organizationId)
      .$if(forUpdateOn(ctx), (q) => q.forUpdate())
      .executeTakeFirst();
    if (!payment) throw notFound('payment');
    // Re-read under the lock: credit may have been applied to more invoices since the first read.
    const allocations = await trx
      .selectFrom('paymentAllocations')
      .select(['invoiceId', 'amount', 'releasedAt'])
      .where('paymentId', '=', paymentId)
      .where('organizationId', '=', organizationId)
      .execute();
    const late = allocations.map((a) => a.invoiceId).filter((invoiceId) => !invoices.has(invoiceId));
    if (late.length > 0) await lockInvoices(ctx, trx, organizationId, late);

    await trx
      .deleteFrom('paymentAllocations')
      .where('paymentId', '=', paymentId)
      .where('organizationId', '=', organizationId)
      .execute();
    await trx
      .deleteFrom('customerPayments')
      .where('id', '=', paymentId)
      .where('organizationId', '=', organizationId)
      .execute();

    const now = ctx.now().toISOString();
    const today = await organizationToday(ctx, organizationId, trx);
    const history: MoneyHistoryEntry[] = [
      {
        subjectType: 'customer_payment',
        subjectId: paymentId,
        event: 'payment_deleted',
        description: `Payment ${payment.number} of ${money(payment.amount, payment.currency)} deleted.`,
      },
    ];
    const removed = new Map<string, number>();
    for (const allocation of allocations) {
      if (allocation.releasedAt !== null) continue;
      removed.set(allocation.invoiceId, (removed.get(allocation.invoiceId) ?? 0) + allocation.amount);
    }
    // Only live allocations count on an invoice; a released one sits on a void invoice whose money stays as is.
    for (const [invoiceId, amount] of removed) {
      await recomputeInvoiceMoney(trx, organizationId, invoiceId, today, now);
      history.push({
        subjectType: 'invoice',
        subjectId: invoiceId,
        event: 'payment_deleted',
        description: `Payment ${payment.number} deleted: ${money(amount, payment.currency)} no longer applied.`,
      });
    }
    if (payment.retainerInvoiceId) {
      await recomputeRetainerMoney(trx, organizationId, payment.retainerInvoiceId, now);
      history.push({
        subjectType: 'retainer_invoice',
        subjectId: payment.retainerInvoiceId,
        event: 'payment_deleted',
        description: `Payment ${payment.number} of ${money(payment.amount, payment.currency)} deleted.`,
      });
    }
    await writeMoneyHistory(trx, ctx, scope, history);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Applying credit

type CreditRow = {
  id: string;
  number: string;
  customerId: string;
  currency: string;
  unapplied: number;
  retainerInvoiceId: string | null;
};

/**
 * Applies the customer's credit (unapplied payments, retainer credit included) to open invoices. An allocation
 * naming a `paymentId` draws from that payment; the others draw from the customer's oldest credit first (by
 * payment date, then recording order), after the named ones are served. All or nothing.
 */
export async function applyCustomerCredit(
  ctx: AppContext,
  scope: OrgScope,
  customerId: string,
  input: Static<typeof ApplyCreditInput>,
) {
  const customer = await customerOf(ctx.db.kysely, scope, customerId);
  const organizationId = scope.organizationId;
  const applied: Array<{
    allocationId: string;
    paymentId: string;
    paymentNumber: string;
    invoiceId: string;
    invoiceNumber: string;
    amount: number;
  }> = [];

  await ctx.db.kysely.transaction().execute(async (trx) => {
    const invoices = await lockInvoices(
      ctx,
      trx,
      organizationId,
      input.allocations.map((a) => a.invoiceId),
    );
    input.allocations.forEach((allocation, index) => {
      checkReceivingInvoice(invoices.get(allocation.invoiceId), customer, `/allocations/${index}/invoiceId`);
    });

    const credits: CreditRow[] = await trx
      .selectFrom('customerPayments')
      .select(['id', 'number', 'customerId', 'currency', 'unapplied', 'retainerInvoiceId', 'paymentDate', 'createdAt'])
      .where('organizationId', '=', organizationId)
      .where('customerId', '=', customer.id)
      .where('unapplied', '>', sql.lit(0)) // literal: customer_payments_credit_idx is partial
      .orderBy('id')
      .$if(forUpdateOn(ctx), (q) => q.forUpdate())
      .execute()
      .then((rows) =>
        rows.sort(
          (a, b) =>
            a.paymentDate.localeCompare(b.paymentDate) ||
            a.createdAt.localeCompare(b.createdAt) ||
            a.id.localeCompare(b.id),
        ),
      );
    const creditLeft = new Map(credits.map((credit) => [credit.id, credit.unapplied]));
    const balanceLeft = new Map([...invoices.values()].map((invoice) => [invoice.id, invoice.balance]));
    const moves: Array<{ payment: CreditRow; invoice: LockedInvoice; amount: number }> = [];

    const take = (payment: CreditRow, invoice: LockedInvoice, amount: number) => {
      creditLeft.set(payment.id, (creditLeft.get(payment.id) ?? 0) - amount);
      moves.push({ payment, invoice, amount });
    };
    const reserveBalance = (invoice: LockedInvoice, amount: number, index: number) => {
      const left = balanceLeft.get(invoice.id) ?? 0;
      if (amount > left) throw invalid(`/allocations/${index}/amount`, 'Cannot apply more than the balance due.');
      balanceLeft.set(invoice.id, left - amount);
    };

    // Named payments first, so that drawing the oldest credit for the others never takes what was named.
    const indexed = input.allocations.map((allocation, index) => ({ allocation, index }));
    for (const { allocation, index } of indexed.filter((e) => e.allocation.paymentId !== undefined)) {
      const invoice = invoices.get(allocation.invoiceId) as LockedInvoice;
      reserveBalance(invoice, allocation.amount, index);
      const payment = credits.find((credit) => credit.id === allocation.paymentId);
      if (!payment) {
        const other = await trx
          .selectFrom('customerPayments')
          .select('customerId')
          .where('id', '=', allocation.paymentId as string)
          .where('organizationId', '=', organizationId)
          .executeTakeFirst();
        if (!other) throw notFound('payment');
        if (other.customerId !== customer.id) {
          throw invalid(`/allocations/${index}/paymentId`, "This is another customer's payment.");
        }
        throw invalid(`/allocations/${index}/paymentId`, 'This payment has no credit left.');
      }
      if (payment.currency !== invoice.currency) {
        throw invalid(`/allocations/${index}/paymentId`, `This payment is in ${payment.currency}.`);
      }
      if (allocation.amount > (creditLeft.get(payment.id) ?? 0)) {
        throw invalid(`/allocations/${index}/amount`, 'More than the credit left on this payment.');
      }
      take(payment, invoice, allocation.amount);
    }
    for (const { allocation, index } of indexed.filter((e) => e.allocation.paymentId === undefined)) {
      const invoice = invoices.get(allocation.invoiceId) as LockedInvoice;
      reserveBalance(invoice, allocation.amount, index);
      let needed = allocation.amount;
      for (const payment of credits) {
        if (needed === 0) break;
        if (payment.currency !== invoice.currency) continue;
        const amount = Math.min(needed, creditLeft.get(payment.id) ?? 0);
        if (amount <= 0) continue;
        take(payment, invoice, amount);
        needed -= amount;
      }
      if (needed > 0) {
        throw invalid(`/allocations/${index}/amount`, "More than the customer's available credit.");
      }
    }

    const now = ctx.now().toISOString();
    const today = await organizationToday(ctx, organizationId, trx);
    const rows = moves.map((move) => ({
      id: newId('alc'),
      organizationId,
      paymentId: move.payment.id,
      invoiceId: move.invoice.id,
      kind: 'credit' as const,
      amount: move.amount,
      appliedOn: today,
      releasedAt: null,
      createdAt: now,
    }));
    await trx.insertInto('paymentAllocations').values(rows).execute();
    for (const paymentId of new Set(moves.map((m) => m.payment.id))) {
      await recomputePaymentUnapplied(trx, organizationId, paymentId, now);
    }
    for (const invoiceId of new Set(moves.map((m) => m.invoice.id))) {
      await recomputeInvoiceMoney(trx, organizationId, invoiceId, today, now);
    }

    const history: MoneyHistoryEntry[] = [];
    moves.forEach((move, i) => {
      const amount = money(move.amount, move.invoice.currency);
      const source = move.payment.retainerInvoiceId ? 'retainer credit' : 'credit';
      history.push(
        {
          subjectType: 'invoice',
          subjectId: move.invoice.id,
          event: 'credit_applied',
          description: `${amount} of ${source} from ${move.payment.number} applied.`,
        },
        {
          subjectType: 'customer_payment',
          subjectId: move.payment.id,
          event: 'credit_applied',
          description: `${amount} applied to ${move.invoice.number}.`,
        },
      );
      if (move.payment.retainerInvoiceId) {
        history.push({
          subjectType: 'retainer_invoice',
          subjectId: move.payment.retainerInvoiceId,
          event: 'credit_applied',
          description: `${amount} of retainer credit (${move.payment.number}) applied to ${move.invoice.number}.`,
        });
      }
      applied.push({
        allocationId: rows[i]?.id as string,
        paymentId: move.payment.id,
        paymentNumber: move.payment.number,
        invoiceId: move.invoice.id,
        invoiceNumber: move.invoice.number,
        amount: move.amount,
      });
    });
    await writeMoneyHistory(trx, ctx, scope, history);
  });
  return { applied, credits: await getCustomerCredits(ctx, scope, customerId) };
}
