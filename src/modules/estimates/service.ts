import { type Kysely, type Selectable, sql } from 'kysely';
import type { Static } from 'typebox';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import type { Dialect, Placeholders } from '../../db/database.js';
import { newId } from '../../db/ids.js';
import { jsonObject, jsonText } from '../../db/json.js';
import type { Database } from '../../db/schema.js';
import { addDays, assertDate, compareDates } from '../../domain/dates.js';
import { AppError, invalid, invalidTransition, notFound } from '../../domain/errors.js';
import {
  canDeleteEstimate,
  canEditEstimate,
  canSendEstimateAgain,
  type EstimateAction,
  estimateActions,
  estimateMachine,
  isRevision,
} from '../../domain/estimate-states.js';
import { preparedJsonList } from '../../http/pagination.js';
import { actorOf, deleteActivityOf, recordHistory } from '../activity/index.js';
import { contactNameSql } from '../customers/index.js';
import {
  byBusiness,
  byIssueDate,
  changeDocument,
  customerForDocument,
  type DocumentKind,
  defaultTerms,
  deleteLines,
  documentHeadJson,
  documentSettings,
  emailSentDocument,
  type FilterArgs,
  foundDocuments,
  givenFields,
  insertLines,
  linesFromRows,
  linesOf,
  listFilters,
  lockDocument,
  organizationOf,
  presentPricing,
  priceDocument,
  recordSentAgain,
  replaceLines,
  resolveLines,
  sentDescription,
  sentDocumentRecipients,
  termsFrom,
  termsFromRow,
  withListFilters,
} from '../documents/index.js';
import { getInvoice, type InvoiceDetail, insertInvoice } from '../invoices/index.js';
import { nextDocumentNumber } from '../numbering/index.js';
import { organizationToday } from '../organization/index.js';
import { answerQuoteRequest, quoteRequestOfEstimate } from '../quote-requests/index.js';
import type { Estimate, EstimateInput, EstimateListQuery, EstimatePatch, EstimateSummary } from './schemas.js';

type EstimateRow = Selectable<Database['estimates']>;
export type EstimateDetail = Static<typeof Estimate>;

/** The name of the contact person who first viewed the document (joined as `vp`): first and last name. */
const viewedByName = contactNameSql('vp');
/** The name of the contact person who asked for changes (joined as `rp`). */
const changesRequestedByName = contactNameSql('rp');

function presentSummary(
  row: EstimateRow & { customerName: string; viewedByName: string | null },
): Static<typeof EstimateSummary> {
  return {
    id: row.id,
    number: row.number,
    reference: row.reference,
    status: row.status,
    customer: { id: row.customerId, displayName: row.customerName },
    issueDate: row.issueDate,
    expiryDate: row.expiryDate,
    currency: row.currency,
    total: row.total,
    invoiceId: row.invoiceId,
    sentAt: row.sentAt,
    viewedAt: row.viewedAt,
    viewedByContactPersonId: row.viewedByContactPersonId,
    viewedByName: row.viewedByName,
    decidedAt: row.decidedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * An estimate's summary as the list's items show it, written as JSON by the query (`preparedJsonList`): the same
 * keys, in the same order, as `presentSummary` (test/api/list-items.test.ts holds them to the detail).
 */
function summaryJson(dialect: Dialect) {
  const ref = (column: string) => sql.ref(`e.${column}`);
  return jsonText(
    dialect,
    jsonObject(dialect, {
      ...documentHeadJson(dialect, 'e'),
      issueDate: ref('issueDate'),
      expiryDate: ref('expiryDate'),
      currency: ref('currency'),
      total: ref('total'),
      invoiceId: ref('invoiceId'),
      sentAt: ref('sentAt'),
      viewedAt: ref('viewedAt'),
      viewedByContactPersonId: ref('viewedByContactPersonId'),
      viewedByName,
      decidedAt: ref('decidedAt'),
      createdAt: ref('createdAt'),
      updatedAt: ref('updatedAt'),
    }),
  );
}

/** Estimates of the organization, with their customer (`c`) and who first viewed them (`vp`) joined. */
function fromEstimates(db: Kysely<Database>, organizationId: string, filters = '') {
  return db
    .selectFrom('estimates as e')
    .innerJoin('customers as c', 'c.id', 'e.customerId')
    .leftJoin('contactPersons as vp', 'vp.id', 'e.viewedByContactPersonId')
    .where(organizationOf('e.organizationId', organizationId, filters));
}

/** Estimates of the scope's organization with their customer's name, who first viewed them and who asked for changes. */
function selectEstimates(db: Kysely<Database>, organizationId: string) {
  return fromEstimates(db, organizationId)
    .leftJoin('contactPersons as rp', 'rp.id', 'e.changesRequestedByContactPersonId')
    .selectAll('e')
    .select([
      'c.displayName as customerName',
      viewedByName.as('viewedByName'),
      changesRequestedByName.as('changesRequestedByName'),
    ]);
}

/** An estimate of the scope's organization with its lines and totals; else 404. */
export async function getEstimate(ctx: AppContext, scope: OrgScope, estimateId: string): Promise<EstimateDetail> {
  const row = await selectEstimates(ctx.db.kysely, scope.organizationId)
    .where('e.id', '=', estimateId)
    .executeTakeFirst();
  if (!row) throw notFound('estimate');
  const lines = await linesOf(ctx.db.kysely, 'estimateLines', scope.organizationId, estimateId);
  return {
    ...presentSummary(row),
    ...presentPricing(row, lines),
    subject: row.subject,
    notes: row.notes,
    terms: row.terms,
    decidedByContactPersonId: row.decidedByContactPersonId,
    decidedIp: row.decidedIp,
    declineReason: row.declineReason,
    signatureName: row.signatureName,
    changeRequest:
      row.status === 'changes_requested' && row.changesRequestedAt !== null
        ? {
            message: row.changeRequestMessage ?? '',
            requestedAt: row.changesRequestedAt,
            contactPersonId: row.changesRequestedByContactPersonId,
            contactPersonName: row.changesRequestedByName,
          }
        : null,
    quoteRequestId: await quoteRequestOfEstimate(ctx.db.kysely, scope.organizationId, estimateId),
    availableActions: estimateActions(row),
  };
}

/** The business's estimate list, compiled once per shape: whether a status is given, and the filters given. */
const estimatePage = preparedJsonList(
  (db, args: Placeholders<FilterArgs & { organizationId: string; status: string }>, shape, dialect) => {
    const [status = '', filters = ''] = shape.split('/');
    return withListFilters(
      db,
      fromEstimates(db, args.organizationId, filters)
        .select([summaryJson(dialect).as('item'), 'e.issueDate as sortKey', 'e.id'])
        .$if(status === 'one', (q) => q.where('e.status', '=', args.status as EstimateRow['status'])),
      { table: 'e', customers: 'c', date: 'issueDate' },
      filters,
      args,
    );
  },
  byIssueDate('e'),
);

export async function listEstimates(ctx: AppContext, scope: OrgScope, query: Static<typeof EstimateListQuery>) {
  const filters = listFilters(query, await foundDocuments(ctx.db.kysely, 'estimates', scope.organizationId, query.q));
  return estimatePage(
    ctx.db,
    { ...filters.args, organizationId: scope.organizationId, status: query.status ?? '' },
    `${query.status ? 'one' : ''}/${filters.shape}`,
    query,
  );
}

/** Estimates in the change recipe: their machine; they carry no money to re-derive. */
export const ESTIMATE: DocumentKind<'estimates', EstimateAction> = {
  table: 'estimates',
  what: 'estimate',
  subjectType: 'estimate',
  machine: estimateMachine,
};

function checkDates(issueDate: string, expiryDate: string | null) {
  assertDate(issueDate, '/issueDate');
  if (expiryDate === null) return;
  assertDate(expiryDate, '/expiryDate');
  if (compareDates(expiryDate, issueDate) < 0) {
    throw invalid('/expiryDate', 'The expiry date cannot be before the issue date.');
  }
}

/**
 * A new draft estimate in the customer's currency, numbered from the organization's estimate sequence; made from
 * a client's quote request when `quoteRequestId` is given (the request is answered in the same transaction).
 */
export async function createEstimate(
  ctx: AppContext,
  scope: OrgScope,
  input: Static<typeof EstimateInput>,
): Promise<EstimateDetail> {
  const id = newId('est');
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const customer = await customerForDocument(trx, scope, input.customerId);
    const settings = await documentSettings(trx, scope.organizationId);
    const issueDate = input.issueDate ?? (await organizationToday(ctx, scope.organizationId, trx));
    assertDate(issueDate, '/issueDate');
    const expiryDate =
      input.expiryDate === undefined ? addDays(issueDate, settings.estimateValidityDays) : input.expiryDate;
    checkDates(issueDate, expiryDate);
    const lines = await resolveLines(trx, scope, input.lines);
    const priced = priceDocument(scope.organizationId, id, lines, termsFrom(input, defaultTerms(settings.taxRounding)));
    const number = await nextDocumentNumber(trx, scope.organizationId, 'estimate');
    const now = ctx.now().toISOString();
    await trx
      .insertInto('estimates')
      .values({
        id,
        organizationId: scope.organizationId,
        customerId: customer.id,
        number,
        reference: input.reference ?? null,
        status: 'draft',
        issueDate,
        expiryDate,
        currency: customer.currency,
        subject: input.subject ?? null,
        notes: input.notes ?? null,
        terms: input.terms ?? null,
        ...priced.totals,
        sentAt: null,
        decidedAt: null,
        decidedByContactPersonId: null,
        decidedIp: null,
        declineReason: null,
        signatureName: null,
        viewedAt: null,
        viewedByContactPersonId: null,
        invoiceId: null,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    await insertLines(trx, 'estimateLines', priced.lines);
    if (input.quoteRequestId !== undefined) {
      await answerQuoteRequest(trx, scope, {
        quoteRequestId: input.quoteRequestId,
        customerId: customer.id,
        estimateId: id,
        estimateNumber: number,
        now,
      });
    }
    await recordHistory(trx, {
      organizationId: scope.organizationId,
      subjectType: 'estimate',
      subjectId: id,
      event: 'created',
      description: 'Estimate created',
      ...actorOf(scope),
      createdAt: now,
    });
  });
  return getEstimate(ctx, scope, id);
}

/**
 * Drafts and declined estimates may be edited (a declined one stays declined until it is sent again); a sent
 * estimate is frozen because the client may accept it at any moment. Totals are repriced with the estimate's
 * own tax rounding.
 */
export async function updateEstimate(
  ctx: AppContext,
  scope: OrgScope,
  estimateId: string,
  patch: Static<typeof EstimatePatch>,
): Promise<EstimateDetail> {
  await changeDocument(ctx, byBusiness(scope), ESTIMATE, estimateId, null, async ({ trx, row }) => {
    if (!canEditEstimate(row.status)) throw invalidTransition(`Cannot edit this estimate: it is ${row.status}.`);
    const issueDate = patch.issueDate ?? row.issueDate;
    const expiryDate = patch.expiryDate !== undefined ? patch.expiryDate : row.expiryDate;
    checkDates(issueDate, expiryDate);
    const lines = patch.lines
      ? await resolveLines(trx, scope, patch.lines)
      : linesFromRows(await linesOf(trx, 'estimateLines', scope.organizationId, estimateId));
    const priced = priceDocument(scope.organizationId, estimateId, lines, termsFrom(patch, termsFromRow(row)));
    if (patch.lines) await replaceLines(trx, 'estimateLines', scope.organizationId, estimateId, priced.lines);
    return {
      set: {
        ...givenFields(patch, ['reference', 'subject', 'notes', 'terms']),
        issueDate,
        expiryDate,
        ...priced.totals,
      },
      event: 'updated',
      description: 'Estimate edited',
    };
  });
  return getEstimate(ctx, scope, estimateId);
}

/** Only drafts are deleted; anything the client has seen stays on record. */
export async function deleteEstimate(ctx: AppContext, scope: OrgScope, estimateId: string): Promise<void> {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const row = await lockDocument(trx, ESTIMATE, scope, estimateId, ctx.now().toISOString());
    if (!canDeleteEstimate(row.status)) throw invalidTransition(`Cannot delete this estimate: it is ${row.status}.`);
    await deleteLines(trx, 'estimateLines', scope.organizationId, estimateId);
    await deleteActivityOf(trx, scope.organizationId, 'estimate', estimateId);
    await trx
      .deleteFrom('estimates')
      .where('id', '=', estimateId)
      .where('organizationId', '=', scope.organizationId)
      .execute();
  });
}

/**
 * draft → sent, and declined or changes_requested → sent for a revised estimate: the earlier decision or request
 * is cleared (history keeps it) so the client decides afresh; a revision is dated (the client sees "Revised on …")
 * and its first view is recorded anew, since the client has not seen this version yet.
 */
async function issueEstimate(ctx: AppContext, scope: OrgScope, estimateId: string, describe: (what: string) => string) {
  await changeDocument(ctx, byBusiness(scope), ESTIMATE, estimateId, 'send', async ({ row, now }) => {
    const revised = isRevision(row.status);
    const afterChangeRequest = row.status === 'changes_requested';
    return {
      set: {
        sentAt: now,
        decidedAt: null,
        decidedByContactPersonId: null,
        decidedIp: null,
        declineReason: null,
        signatureName: null,
        changesRequestedAt: null,
        changesRequestedByContactPersonId: null,
        changeRequestMessage: null,
        ...(revised ? { revisedAt: now, viewedAt: null, viewedByContactPersonId: null } : {}),
      },
      event: 'sent',
      // The round of a request for changes closes with "Sent again" (docs/requests.md).
      description: afterChangeRequest
        ? `Sent again: ${describe('revised estimate')}`
        : describe(revised ? 'Revised estimate' : 'Estimate'),
    };
  });
}

/** Marks a draft (or revised: declined, changes requested) estimate as sent without e-mailing anyone. */
export async function markEstimateSent(ctx: AppContext, scope: OrgScope, estimateId: string): Promise<EstimateDetail> {
  await issueEstimate(ctx, scope, estimateId, (what) => `${what} marked as sent`);
  return getEstimate(ctx, scope, estimateId);
}

/**
 * Sends an estimate: a draft or a revised declined estimate is marked sent, then e-mailed (PDF attached, with its
 * link in the client portal) to the customer's contact persons through the outbox; one still awaiting the client's
 * answer is e-mailed again and keeps its status.
 */
export async function sendEstimate(ctx: AppContext, scope: OrgScope, estimateId: string): Promise<EstimateDetail> {
  const recipients = await sentDocumentRecipients(ctx, scope, 'estimate', estimateId);
  const current = await ctx.db.kysely
    .selectFrom('estimates')
    .select('status')
    .where('id', '=', estimateId)
    .where('organizationId', '=', scope.organizationId)
    .executeTakeFirst();
  if (!current) throw notFound('estimate');
  if (canSendEstimateAgain(current.status)) {
    await recordSentAgain(ctx, scope, 'estimate', estimateId, recipients);
  } else {
    await issueEstimate(ctx, scope, estimateId, (what) => sentDescription(what, recipients));
  }
  await emailSentDocument(ctx, scope, 'estimate', estimateId, recipients);
  return getEstimate(ctx, scope, estimateId);
}

/**
 * Converts a sent or accepted estimate into a draft invoice with the same lines, prices and terms of
 * calculation (so the invoice totals what the client accepted), dated today and due by the customer's terms.
 * Returns the new invoice.
 */
export async function convertEstimate(ctx: AppContext, scope: OrgScope, estimateId: string): Promise<InvoiceDetail> {
  let invoiceId = '';
  await changeDocument(ctx, byBusiness(scope), ESTIMATE, estimateId, 'convert', async ({ trx, row }) => {
    const customer = await trx
      .selectFrom('customers')
      .select(['id', 'paymentTermsDays', 'deletedAt'])
      .where('id', '=', row.customerId)
      .where('organizationId', '=', scope.organizationId)
      .executeTakeFirstOrThrow();
    if (customer.deletedAt !== null) throw new AppError('conflict', 'The customer of this estimate was deleted.');
    const settings = await documentSettings(trx, scope.organizationId);
    const today = await organizationToday(ctx, scope.organizationId, trx);
    invoiceId = await insertInvoice(ctx, trx, scope, {
      customerId: row.customerId,
      currency: row.currency,
      reference: row.reference,
      issueDate: today,
      dueDate: addDays(today, customer.paymentTermsDays ?? settings.paymentTermsDays),
      subject: row.subject,
      notes: row.notes,
      terms: row.terms,
      allowPartialPayments: true,
      lines: linesFromRows(await linesOf(trx, 'estimateLines', scope.organizationId, estimateId)),
      pricing: termsFromRow(row),
      estimateId,
      recurringProfileId: null,
      description: `Created from estimate ${row.number}`,
    });
    const invoice = await trx
      .selectFrom('invoices')
      .select('number')
      .where('id', '=', invoiceId)
      .where('organizationId', '=', scope.organizationId)
      .executeTakeFirstOrThrow();
    return { set: { invoiceId }, event: 'converted', description: `Converted to invoice ${invoice.number}` };
  });
  return getInvoice(ctx, scope, invoiceId);
}
