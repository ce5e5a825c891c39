import type { Kysely, Transaction } from 'kysely';
import type { Static } from 'typebox';
import { countClientAction } from '../../auth/action-limits.js';
import type { PortalScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { notFound } from '../../domain/errors.js';
import { listPage } from '../../http/pagination.js';
import { recordHistory } from '../activity/index.js';
import { recordAudit } from '../audit/index.js';
import { notifyBusinessOfPortalActivity } from '../portal-notifications/index.js';
import { loadPortalSettings } from '../portal-settings/index.js';
import type { PortalQuoteRequest, PortalQuoteRequestInput, PortalQuoteRequestListQuery } from './schemas.js';

/**
 * "Request a quote" from the portal (docs/requests.md): the client describes what they need, the business gets
 * an open quote request (and an e-mail) it turns into an estimate or dismisses. A contact person sees only their
 * own requests. With the organization's quote requests off, these routes do not exist (404), like reviews.
 */

type Db = Kysely<Database> | Transaction<Database>;

async function assertQuoteRequestsOn(db: Db, scope: PortalScope): Promise<void> {
  const settings = await loadPortalSettings(db, scope.organizationId);
  if (!settings.quoteRequests) throw notFound('page');
}

function selectMine(db: Db, scope: PortalScope) {
  return (
    db
      .selectFrom('quoteRequests as q')
      // The estimate is shown only once the business issued it: drafts never reach the portal.
      .leftJoin('estimates as e', (join) =>
        join
          .onRef('e.id', '=', 'q.estimateId')
          .on('e.organizationId', '=', scope.organizationId)
          .on('e.customerId', '=', scope.customerId)
          .on('e.status', '!=', 'draft'),
      )
      .select(['q.id', 'q.description', 'q.details', 'q.status', 'e.id as estimateId', 'q.createdAt'])
      .where('q.organizationId', '=', scope.organizationId)
      .where('q.customerId', '=', scope.customerId)
      .where('q.contactPersonId', '=', scope.contactPersonId)
  );
}

export async function listMyQuoteRequests(
  ctx: AppContext,
  scope: PortalScope,
  query: Static<typeof PortalQuoteRequestListQuery>,
) {
  await assertQuoteRequestsOn(ctx.db.kysely, scope);
  return listPage(
    selectMine(ctx.db.kysely, scope),
    { key: 'q.createdAt', id: 'q.id', direction: 'desc', keyOf: (row) => row.createdAt },
    query,
    (row): Static<typeof PortalQuoteRequest> => row,
  );
}

/**
 * Writes the request, its history entry (the `quote.requested` webhook), an audit entry and the business's
 * e-mail in one transaction, counted first against the client's quote-request budget, so a refused one writes
 * nothing.
 */
export async function requestQuote(
  ctx: AppContext,
  scope: PortalScope,
  input: Static<typeof PortalQuoteRequestInput>,
  ip: string,
): Promise<Static<typeof PortalQuoteRequest>> {
  const id = newId('qrq');
  const description = input.description.trim();
  const details = input.details?.trim() ? input.details.trim() : null;
  const now = ctx.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await assertQuoteRequestsOn(trx, scope);
    await countClientAction(ctx, trx, scope, 'quoteRequest');
    await trx
      .insertInto('quoteRequests')
      .values({
        id,
        organizationId: scope.organizationId,
        customerId: scope.customerId,
        contactPersonId: scope.contactPersonId,
        description,
        details,
        status: 'open',
        estimateId: null,
        closedAt: null,
        closedByUserId: null,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    await recordHistory(trx, {
      organizationId: scope.organizationId,
      subjectType: 'quote_request',
      subjectId: id,
      event: 'requested',
      description: `Quote requested: ${description}`,
      actorType: 'contact_person',
      actorId: scope.contactPersonId,
      ip,
      shownInPortal: true,
      createdAt: now,
    });
    await recordAudit(trx, {
      organizationId: scope.organizationId,
      event: 'portal.quote_requested',
      actorType: 'contact_person',
      actorId: scope.contactPersonId,
      contactPersonId: scope.contactPersonId,
      ip,
      details: { quoteRequestId: id },
      at: now,
    });
    await notifyBusinessOfPortalActivity(trx, ctx, scope, {
      event: 'quote_requested',
      target: { kind: 'quote_request', id, label: description.slice(0, 80) },
      detail: details ? `${description}\n\n${details}` : description,
    });
  });
  return { id, description, details, status: 'open', estimateId: null, createdAt: now };
}
