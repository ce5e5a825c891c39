import { type Selectable, sql, type Transaction } from 'kysely';
import type { Static } from 'typebox';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import type { Dialect, Placeholders } from '../../db/database.js';
import { newId } from '../../db/ids.js';
import { jsonObject, jsonText, storedJson } from '../../db/json.js';
import type { Database } from '../../db/schema.js';
import { assertDate } from '../../domain/dates.js';
import { AppError, invalidTransition, notFound } from '../../domain/errors.js';
import {
  canChangeRetainer,
  type RetainerAction,
  type RetainerStatus,
  retainerActions,
  retainerMachine,
  retainerStatusFor,
} from '../../domain/invoice-states.js';
import { formatMoneyPlain } from '../../domain/money.js';
import { preparedJsonList } from '../../http/pagination.js';
import { deleteActivityOf } from '../activity/index.js';
import {
  byBusiness,
  byIssueDate,
  changeDocument,
  type DocumentKind,
  type FilterArgs,
  foundDocuments,
  givenFields,
  listFilters,
  organizationOf,
  pendingPaymentsOn,
  withListFilters,
  writeMoneyHistory,
} from '../documents/index.js';
import { nextDocumentNumber } from '../numbering/index.js';
import { organizationToday } from '../organization/index.js';
import type { RetainerInvoiceInput, RetainerInvoicePatch } from './schemas.js';

type Trx = Transaction<Database>;
type RetainerRow = Selectable<Database['retainerInvoices']> & { customerName: string };
type RetainerLine = { description: string; amount: number };

function presentRetainer(row: RetainerRow) {
  return {
    id: row.id,
    number: row.number,
    customerId: row.customerId,
    customerName: row.customerName,
    status: row.status,
    issueDate: row.issueDate,
    currency: row.currency,
    reference: row.reference,
    notes: row.notes,
    terms: row.terms,
    lines: JSON.parse(row.lines) as RetainerLine[],
    total: row.total,
    amountPaid: row.amountPaid,
    balance: row.balance,
    sentAt: row.sentAt,
    voidedAt: row.voidedAt,
    viewedAt: row.viewedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * A retainer invoice as the list's items show it, written as JSON by the query (`preparedJsonList`): the same keys,
 * in the same order, as `presentRetainer` (test/api/list-items.test.ts holds them to the detail).
 */
function retainerJson(dialect: Dialect) {
  const ref = (column: string) => sql.ref(`retainerInvoices.${column}`);
  return jsonText(
    dialect,
    jsonObject(dialect, {
      id: ref('id'),
      number: ref('number'),
      customerId: ref('customerId'),
      customerName: sql.ref('customers.displayName'),
      status: ref('status'),
      issueDate: ref('issueDate'),
      currency: ref('currency'),
      reference: ref('reference'),
      notes: ref('notes'),
      terms: ref('terms'),
      lines: storedJson(dialect, ref('lines')),
      total: ref('total'),
      amountPaid: ref('amountPaid'),
      balance: ref('balance'),
      sentAt: ref('sentAt'),
      voidedAt: ref('voidedAt'),
      viewedAt: ref('viewedAt'),
      createdAt: ref('createdAt'),
      updatedAt: ref('updatedAt'),
    }),
  );
}

/** Retainer invoices of the organization, with their customer joined. */
function fromRetainers(db: AppContext['db']['kysely'] | Trx, organizationId: string, filters = '') {
  return db
    .selectFrom('retainerInvoices')
    .innerJoin('customers', 'customers.id', 'retainerInvoices.customerId')
    .where(organizationOf('retainerInvoices.organizationId', organizationId, filters));
}

function selectRetainers(db: AppContext['db']['kysely'] | Trx, organizationId: string) {
  return fromRetainers(db, organizationId)
    .selectAll('retainerInvoices')
    .select('customers.displayName as customerName');
}

/** A retainer invoice of the scope's organization with the payments received on it, or 404. */
export async function getRetainerInvoice(ctx: AppContext, scope: OrgScope, retainerInvoiceId: string) {
  const row = await selectRetainers(ctx.db.kysely, scope.organizationId)
    .where('retainerInvoices.id', '=', retainerInvoiceId)
    .executeTakeFirst();
  if (!row) throw notFound('retainer invoice');
  const payments = await ctx.db.kysely
    .selectFrom('customerPayments')
    .select(['id', 'number', 'paymentDate', 'amount', 'unapplied', 'mode', 'reference'])
    .where('organizationId', '=', scope.organizationId)
    .where('retainerInvoiceId', '=', retainerInvoiceId)
    .orderBy('paymentDate')
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
  return {
    ...presentRetainer(row),
    payments: payments.map(({ paymentDate, ...payment }) => ({ ...payment, date: paymentDate })),
    pendingPayments: await pendingPaymentsOn(ctx.db.kysely, scope.organizationId, { retainerInvoiceId }, ctx.now()),
    // A payment's unapplied amount is what its live allocations leave of it: less than the amount means some
    // of its retainer credit is applied to invoices.
    availableActions: retainerActions({
      status: row.status,
      creditApplied: payments.some((payment) => payment.unapplied < payment.amount),
    }),
  };
}

export async function listRetainerInvoices(
  ctx: AppContext,
  scope: OrgScope,
  query: {
    status?: RetainerStatus;
    customerId?: string;
    from?: string;
    to?: string;
    q?: string;
    limit?: number;
    cursor?: string;
  },
) {
  const filters = listFilters(
    query,
    await foundDocuments(ctx.db.kysely, 'retainerInvoices', scope.organizationId, query.q),
  );
  return retainerPage(
    ctx.db,
    { ...filters.args, organizationId: scope.organizationId, status: query.status ?? '' },
    `${query.status ? 'one' : ''}/${filters.shape}`,
    query,
  );
}

/** The business's retainer invoice list, compiled once per shape: whether a status is given, and the filters given. */
const retainerPage = preparedJsonList(
  (db, args: Placeholders<FilterArgs & { organizationId: string; status: string }>, shape, dialect) => {
    const [status = '', filters = ''] = shape.split('/');
    return withListFilters(
      db,
      fromRetainers(db, args.organizationId, filters)
        .select([retainerJson(dialect).as('item'), 'retainerInvoices.issueDate as sortKey', 'retainerInvoices.id'])
        .$if(status === 'one', (q) => q.where('retainerInvoices.status', '=', args.status as RetainerStatus)),
      { table: 'retainerInvoices', customers: 'customers', date: 'issueDate' },
      filters,
      args,
    );
  },
  byIssueDate('retainerInvoices'),
);

async function customerOf(db: AppContext['db']['kysely'] | Trx, scope: OrgScope, customerId: string) {
  const customer = await db
    .selectFrom('customers')
    .select(['id', 'currency'])
    .where('id', '=', customerId)
    .where('organizationId', '=', scope.organizationId)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  if (!customer) throw notFound('customer');
  return customer;
}

const totalOf = (lines: readonly RetainerLine[]) => lines.reduce((sum, line) => sum + line.amount, 0);
const linesJson = (lines: readonly RetainerLine[]) =>
  JSON.stringify(lines.map((line) => ({ description: line.description, amount: line.amount })));

export async function createRetainerInvoice(
  ctx: AppContext,
  scope: OrgScope,
  input: Static<typeof RetainerInvoiceInput>,
) {
  if (input.issueDate !== undefined) assertDate(input.issueDate, '/issueDate');
  const customer = await customerOf(ctx.db.kysely, scope, input.customerId);
  const id = newId('ret');
  const now = ctx.now().toISOString();
  const total = totalOf(input.lines);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const issueDate = input.issueDate ?? (await organizationToday(ctx, scope.organizationId, trx));
    await trx
      .insertInto('retainerInvoices')
      .values({
        id,
        organizationId: scope.organizationId,
        customerId: customer.id,
        projectId: null,
        number: await nextDocumentNumber(trx, scope.organizationId, 'retainer_invoice'),
        reference: input.reference ?? null,
        status: 'draft',
        issueDate,
        currency: customer.currency,
        notes: input.notes ?? null,
        terms: input.terms ?? null,
        lines: linesJson(input.lines),
        total,
        amountPaid: 0,
        balance: total,
        sentAt: null,
        voidedAt: null,
        viewedAt: null,
        viewedByContactPersonId: null,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    await writeMoneyHistory(trx, ctx, scope, [
      { subjectType: 'retainer_invoice', subjectId: id, event: 'created', description: 'Retainer invoice created.' },
    ]);
  });
  return getRetainerInvoice(ctx, scope, id);
}

/** Only a draft may change: once sent, the client may have seen it and money may have been received. */
export async function updateRetainerInvoice(
  ctx: AppContext,
  scope: OrgScope,
  retainerInvoiceId: string,
  patch: Static<typeof RetainerInvoicePatch>,
) {
  if (patch.issueDate !== undefined) assertDate(patch.issueDate, '/issueDate');
  const current = await getRetainerInvoice(ctx, scope, retainerInvoiceId);
  if (!canChangeRetainer(current.status)) throw invalidTransition('Only a draft retainer invoice can be edited.');
  const customer = patch.customerId !== undefined ? await customerOf(ctx.db.kysely, scope, patch.customerId) : null;
  const lines = patch.lines ?? current.lines;
  const total = totalOf(lines);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('retainerInvoices')
      .set({
        ...(customer ? { customerId: customer.id, currency: customer.currency } : {}),
        ...givenFields(patch, ['issueDate', 'reference', 'notes', 'terms']),
        lines: linesJson(lines),
        total,
        // A draft has received nothing: payments need a sent retainer and voiding detaches them.
        balance: total - current.amountPaid,
        updatedAt: ctx.now().toISOString(),
      })
      .where('id', '=', retainerInvoiceId)
      .where('organizationId', '=', scope.organizationId)
      // Re-checked in the write, so a concurrent send cannot slip between the read and the update.
      .where('status', '=', 'draft')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw invalidTransition('Only a draft retainer invoice can be edited.');
  });
  return getRetainerInvoice(ctx, scope, retainerInvoiceId);
}

export async function deleteRetainerInvoice(ctx: AppContext, scope: OrgScope, retainerInvoiceId: string) {
  const current = await getRetainerInvoice(ctx, scope, retainerInvoiceId);
  if (!canChangeRetainer(current.status)) {
    throw invalidTransition('Only a draft retainer invoice can be deleted; void a sent one instead.');
  }
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const paid = await trx
      .selectFrom('customerPayments')
      .select('id')
      .where('organizationId', '=', scope.organizationId)
      .where('retainerInvoiceId', '=', retainerInvoiceId)
      .executeTakeFirst();
    if (paid) throw new AppError('conflict', 'Payments were received on this retainer invoice.');
    // A Pay Now attempt's record keeps pointing at it, whatever came of it (deleting failed on its foreign key
    // with a 500, found by test/api/openapi-fuzz.test.ts).
    const attempted = await trx
      .selectFrom('paymentAttemptAllocations')
      .select('id')
      .where('organizationId', '=', scope.organizationId)
      .where('retainerInvoiceId', '=', retainerInvoiceId)
      .executeTakeFirst();
    if (attempted) throw new AppError('conflict', 'A client began paying this retainer invoice online.');
    const deleted = await trx
      .deleteFrom('retainerInvoices')
      .where('id', '=', retainerInvoiceId)
      .where('organizationId', '=', scope.organizationId)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) !== 1) {
      throw invalidTransition('Only a draft retainer invoice can be deleted; void a sent one instead.');
    }
    await deleteActivityOf(trx, scope.organizationId, 'retainer_invoice', retainerInvoiceId);
  });
}

/**
 * Locks the retainer row on PostgreSQL (SQLite runs one write transaction at a time) and returns it.
 * Lock order everywhere money moves: invoices (by id) → retainer invoices → customer payments (by id).
 */
export async function lockRetainerInvoice(ctx: AppContext, trx: Trx, organizationId: string, retainerId: string) {
  return trx
    .selectFrom('retainerInvoices')
    .selectAll()
    .where('id', '=', retainerId)
    .where('organizationId', '=', organizationId)
    .$if(ctx.db.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst();
}

/**
 * Re-derives a retainer's amount paid, balance and money status from the payments that point at it, inside
 * the caller's transaction. Every change to those payments calls this.
 */
export async function recomputeRetainerMoney(
  trx: Trx,
  organizationId: string,
  retainerInvoiceId: string,
  now: string,
): Promise<void> {
  const retainer = await trx
    .selectFrom('retainerInvoices')
    .select(['status', 'total'])
    .where('id', '=', retainerInvoiceId)
    .where('organizationId', '=', organizationId)
    .executeTakeFirstOrThrow();
  const paid = await trx
    .selectFrom('customerPayments')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.lit(0)).as('amount'))
    .where('organizationId', '=', organizationId)
    .where('retainerInvoiceId', '=', retainerInvoiceId)
    .executeTakeFirstOrThrow();
  const amountPaid = Number(paid.amount);
  // As for a void invoice, nothing is owed on a void retainer.
  const balance = retainer.status === 'void' ? 0 : retainer.total - amountPaid;
  const status = retainerStatusFor({ status: retainer.status, total: retainer.total, balance });
  await trx
    .updateTable('retainerInvoices')
    .set({ amountPaid, balance, status, updatedAt: now })
    .where('id', '=', retainerInvoiceId)
    .where('organizationId', '=', organizationId)
    .execute();
}

/** Retainer invoices in the change recipe: their machine, and their money and status re-derived after every change. */
const RETAINER: DocumentKind<'retainerInvoices', RetainerAction> = {
  table: 'retainerInvoices',
  what: 'retainer invoice',
  subjectType: 'retainer_invoice',
  machine: retainerMachine,
  recomputeMoney: async (_ctx, trx, organizationId, retainerInvoiceId, now) =>
    recomputeRetainerMoney(trx, organizationId, retainerInvoiceId, now),
};

export async function sendRetainerInvoice(ctx: AppContext, scope: OrgScope, retainerInvoiceId: string) {
  await changeDocument(ctx, byBusiness(scope), RETAINER, retainerInvoiceId, 'send', async ({ now }) => ({
    set: { sentAt: now },
    event: 'sent',
    description: 'Marked as sent.',
  }));
  return getRetainerInvoice(ctx, scope, retainerInvoiceId);
}

/**
 * Voiding a retainer that was paid: when any of its payments' retainer credit is already applied to invoices
 * the void is refused (409) — delete or re-plan those applications first. Otherwise its payments are detached
 * from it (retainerInvoiceId = null): the money stays with the customer as plain customer credit, the
 * retainer's amount paid drops to zero and, as on a void invoice, its balance is 0 (nothing is owed on it).
 */
export async function voidRetainerInvoice(ctx: AppContext, scope: OrgScope, retainerInvoiceId: string) {
  await changeDocument(ctx, byBusiness(scope), RETAINER, retainerInvoiceId, 'void', async ({ trx, row, now }) => {
    const payments = await trx
      .selectFrom('customerPayments')
      .select(['id', 'number', 'amount', 'currency'])
      .where('organizationId', '=', scope.organizationId)
      .where('retainerInvoiceId', '=', retainerInvoiceId)
      .orderBy('id')
      .$if(ctx.db.dialect === 'postgres', (q) => q.forUpdate())
      .execute();
    if (payments.length > 0) {
      const applied = await trx
        .selectFrom('paymentAllocations')
        .select('id')
        .where('organizationId', '=', scope.organizationId)
        .where(
          'paymentId',
          'in',
          payments.map((p) => p.id),
        )
        .where('releasedAt', 'is', null)
        .executeTakeFirst();
      if (applied) {
        throw new AppError(
          'conflict',
          'Credit from this retainer has been applied to invoices; remove those applications before voiding it.',
        );
      }
    }
    await trx
      .updateTable('customerPayments')
      .set({ retainerInvoiceId: null, updatedAt: now })
      .where('organizationId', '=', scope.organizationId)
      .where('retainerInvoiceId', '=', retainerInvoiceId)
      .execute();
    return {
      set: { voidedAt: now },
      event: 'voided',
      description:
        payments.length > 0
          ? `Voided; payments ${payments.map((p) => p.number).join(', ')} stay with the customer as credit.`
          : 'Voided.',
      moreHistory: payments.map((payment) => ({
        subjectType: 'customer_payment' as const,
        subjectId: payment.id,
        event: 'retainer_voided',
        description: `Retainer invoice ${row.number} was voided; ${payment.currency} ${formatMoneyPlain(payment.amount, payment.currency)} is now customer credit.`,
      })),
    };
  });
  return getRetainerInvoice(ctx, scope, retainerInvoiceId);
}

export async function reopenRetainerInvoice(ctx: AppContext, scope: OrgScope, retainerInvoiceId: string) {
  await changeDocument(ctx, byBusiness(scope), RETAINER, retainerInvoiceId, 'reopen', async () => ({
    set: { sentAt: null, voidedAt: null },
    event: 'reopened',
    description: 'Reopened as a draft.',
  }));
  return getRetainerInvoice(ctx, scope, retainerInvoiceId);
}
