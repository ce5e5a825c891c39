import type { Kysely, Transaction } from 'kysely';
import type { Static } from 'typebox';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import type { Database } from '../../db/schema.js';
import { invalid, invalidTransition, notFound } from '../../domain/errors.js';
import { listPage } from '../../http/pagination.js';
import { actorOf, recordHistory } from '../activity/index.js';
import { contactNameSql } from '../customers/index.js';
import type { QuoteRequest, QuoteRequestListQuery } from './schemas.js';

/**
 * Clients' quote requests, as the business handles them (docs/requests.md): open → estimate_created, when an
 * estimate is made from one (`POST /estimates` with its `quoteRequestId`), or open → dismissed. Each move is one
 * conditional UPDATE on `status = 'open'`, so of two moves at once exactly one happens.
 */

type Db = Kysely<Database> | Transaction<Database>;

const askedBy = contactNameSql('cp').$notNull();

function selectQuoteRequests(db: Db, organizationId: string) {
  return db
    .selectFrom('quoteRequests as q')
    .innerJoin('customers as c', 'c.id', 'q.customerId')
    .innerJoin('contactPersons as cp', 'cp.id', 'q.contactPersonId')
    .leftJoin('estimates as e', (join) =>
      join.onRef('e.id', '=', 'q.estimateId').on('e.organizationId', '=', organizationId),
    )
    .select([
      'q.id',
      'q.status',
      'q.customerId',
      'c.displayName as customerName',
      'q.contactPersonId',
      askedBy.as('contactPersonName'),
      'q.description',
      'q.details',
      'q.estimateId',
      'e.number as estimateNumber',
      'q.createdAt',
      'q.closedAt',
    ])
    .where('q.organizationId', '=', organizationId);
}

type Row = Awaited<ReturnType<ReturnType<typeof selectQuoteRequests>['executeTakeFirstOrThrow']>>;

function present(row: Row): Static<typeof QuoteRequest> {
  return {
    id: row.id,
    status: row.status,
    customer: { id: row.customerId, displayName: row.customerName },
    contactPerson: { id: row.contactPersonId, name: row.contactPersonName },
    description: row.description,
    details: row.details,
    estimateId: row.estimateId,
    estimateNumber: row.estimateNumber,
    createdAt: row.createdAt,
    closedAt: row.closedAt,
  };
}

/** The organization's quote requests, newest first; open ones only with `status=open`. */
export async function listQuoteRequests(ctx: AppContext, scope: OrgScope, query: Static<typeof QuoteRequestListQuery>) {
  let select = selectQuoteRequests(ctx.db.kysely, scope.organizationId);
  if (query.status) select = select.where('q.status', '=', query.status);
  if (query.customerId) select = select.where('q.customerId', '=', query.customerId);
  return listPage(
    select,
    { key: 'q.createdAt', id: 'q.id', direction: 'desc', keyOf: (row) => row.createdAt },
    query,
    present,
  );
}

export async function getQuoteRequest(
  ctx: AppContext,
  scope: OrgScope,
  quoteRequestId: string,
): Promise<Static<typeof QuoteRequest>> {
  const row = await selectQuoteRequests(ctx.db.kysely, scope.organizationId)
    .where('q.id', '=', quoteRequestId)
    .executeTakeFirst();
  if (!row) throw notFound('quote request');
  return present(row);
}

/** Why an open-only move found nothing to move: 404 when there is no such request, else 409 (it is closed). */
async function refuseClosed(db: Db, organizationId: string, quoteRequestId: string, missing: () => Error) {
  const row = await db
    .selectFrom('quoteRequests')
    .select('status')
    .where('id', '=', quoteRequestId)
    .where('organizationId', '=', organizationId)
    .executeTakeFirst();
  if (!row) throw missing();
  throw invalidTransition(
    row.status === 'dismissed'
      ? 'This quote request was dismissed.'
      : 'An estimate was already made from this quote request.',
  );
}

/** open → dismissed: the business will not quote. */
export async function dismissQuoteRequest(ctx: AppContext, scope: OrgScope, quoteRequestId: string) {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const now = ctx.now().toISOString();
    const moved = await trx
      .updateTable('quoteRequests')
      .set({ status: 'dismissed', closedAt: now, closedByUserId: scope.userId, updatedAt: now })
      .where('id', '=', quoteRequestId)
      .where('organizationId', '=', scope.organizationId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (moved.numUpdatedRows === 0n) {
      await refuseClosed(trx, scope.organizationId, quoteRequestId, () => notFound('quote request'));
    }
    await recordHistory(trx, {
      organizationId: scope.organizationId,
      subjectType: 'quote_request',
      subjectId: quoteRequestId,
      event: 'dismissed',
      description: 'Quote request dismissed',
      ...actorOf(scope),
      createdAt: now,
    });
  });
  return getQuoteRequest(ctx, scope, quoteRequestId);
}

/**
 * open → estimate_created, in the transaction that creates the estimate (`createEstimate`): the request must be
 * the organization's (else 400 on `/quoteRequestId`, like an unknown customer), of the estimate's customer, and
 * still open (else 409, and the estimate is not created).
 */
export async function answerQuoteRequest(
  trx: Transaction<Database>,
  scope: OrgScope,
  request: { quoteRequestId: string; customerId: string; estimateId: string; estimateNumber: string; now: string },
): Promise<void> {
  const found = await trx
    .selectFrom('quoteRequests')
    .select('customerId')
    .where('id', '=', request.quoteRequestId)
    .where('organizationId', '=', scope.organizationId)
    .executeTakeFirst();
  if (!found) throw invalid('/quoteRequestId', 'No such quote request.');
  if (found.customerId !== request.customerId) {
    throw invalid('/customerId', 'The quote request is from another customer.');
  }
  const moved = await trx
    .updateTable('quoteRequests')
    .set({
      status: 'estimate_created',
      estimateId: request.estimateId,
      closedAt: request.now,
      closedByUserId: scope.userId,
      updatedAt: request.now,
    })
    .where('id', '=', request.quoteRequestId)
    .where('organizationId', '=', scope.organizationId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (moved.numUpdatedRows === 0n) {
    await refuseClosed(trx, scope.organizationId, request.quoteRequestId, () =>
      invalid('/quoteRequestId', 'No such quote request.'),
    );
  }
  await recordHistory(trx, {
    organizationId: scope.organizationId,
    subjectType: 'quote_request',
    subjectId: request.quoteRequestId,
    event: 'estimate_created',
    description: `Estimate ${request.estimateNumber} created`,
    ...actorOf(scope),
    createdAt: request.now,
  });
}

/** The quote request an estimate was made from, if any. */
export async function quoteRequestOfEstimate(db: Db, organizationId: string, estimateId: string) {
  const row = await db
    .selectFrom('quoteRequests')
    .select('id')
    .where('organizationId', '=', organizationId)
    .where('estimateId', '=', estimateId)
    .executeTakeFirst();
  return row?.id ?? null;
}
