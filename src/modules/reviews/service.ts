import type { Static } from 'typebox';
import { countClientAction } from '../../auth/action-limits.js';
import type { OrgScope, PortalScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import { notFound } from '../../domain/errors.js';
import { listPage } from '../../http/pagination.js';
import { recordAudit } from '../audit/index.js';
import { contactNameSql } from '../customers/index.js';
import { notifyBusinessOfPortalActivity } from '../portal-notifications/index.js';
import { loadPortalSettings } from '../portal-settings/index.js';
import type { PortalReview, ReviewInput, ReviewListQuery, ReviewPage } from './schemas.js';

/**
 * Clients rate the organization (PRODUCT.md §3, "Rate the organization"): one current review per contact person,
 * which they may replace; private to the business. With the organization's reviews setting off, the portal routes
 * do not exist (404), like any other module the business has not switched on.
 */

async function assertReviewsEnabled(ctx: AppContext, scope: PortalScope): Promise<void> {
  const settings = await loadPortalSettings(ctx.db.kysely, scope.organizationId);
  if (!settings.reviews) throw notFound('page');
}

export async function myReview(ctx: AppContext, scope: PortalScope): Promise<Static<typeof PortalReview> | null> {
  await assertReviewsEnabled(ctx, scope);
  const row = await ctx.db.kysely
    .selectFrom('reviews')
    .select(['rating', 'comment', 'createdAt', 'updatedAt'])
    .where('organizationId', '=', scope.organizationId)
    .where('contactPersonId', '=', scope.contactPersonId)
    .executeTakeFirst();
  return row ?? null;
}

/**
 * Creates the contact person's review or replaces it (one statement: insert … on conflict on the unique
 * (organization, contact person) index, the same on SQLite and PostgreSQL, so two tabs saving at once leave one
 * review). The first creation time is kept; `updatedAt` says when it last changed. Each save e-mails the
 * business, so it counts against the review budgets (`auth/action-limits.ts`).
 */
export async function saveMyReview(
  ctx: AppContext,
  scope: PortalScope,
  input: Static<typeof ReviewInput>,
  request: { ip: string; userAgent: string | null },
): Promise<Static<typeof PortalReview>> {
  await assertReviewsEnabled(ctx, scope);
  const comment = input.comment?.trim() ? input.comment.trim() : null;
  const now = ctx.now().toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    await countClientAction(ctx, trx, scope, 'review');
    const earlier = await trx
      .selectFrom('reviews')
      .select('rating')
      .where('organizationId', '=', scope.organizationId)
      .where('contactPersonId', '=', scope.contactPersonId)
      .executeTakeFirst();
    const saved = await trx
      .insertInto('reviews')
      .values({
        id: newId('rev'),
        organizationId: scope.organizationId,
        customerId: scope.customerId,
        contactPersonId: scope.contactPersonId,
        rating: input.rating,
        comment,
        createdAt: now,
        updatedAt: now,
      })
      .onConflict((oc) =>
        oc
          .columns(['organizationId', 'contactPersonId'])
          .doUpdateSet({ customerId: scope.customerId, rating: input.rating, comment, updatedAt: now }),
      )
      .returning(['rating', 'comment', 'createdAt', 'updatedAt'])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      organizationId: scope.organizationId,
      event: 'portal.review_submitted',
      actorType: 'contact_person',
      actorId: scope.contactPersonId,
      contactPersonId: scope.contactPersonId,
      ip: request.ip,
      userAgent: request.userAgent,
      details: { rating: input.rating, previousRating: earlier?.rating ?? null },
      at: now,
    });
    await notifyBusinessOfPortalActivity(trx, ctx, scope, {
      event: 'reviewed',
      target: null,
      detail: `Rating: ${input.rating} of 5${comment ? `\n${comment}` : ''}`,
    });
    return saved;
  });
}

const contactPersonName = contactNameSql('cp').$notNull();

/** The organization's reviews, most recently written or changed first, with their count and mean rating. */
export async function listReviews(
  ctx: AppContext,
  scope: OrgScope,
  query: Static<typeof ReviewListQuery>,
): Promise<Static<typeof ReviewPage>> {
  const db = ctx.db.kysely;
  const select = db
    .selectFrom('reviews as r')
    .innerJoin('contactPersons as cp', 'cp.id', 'r.contactPersonId')
    .innerJoin('customers as c', 'c.id', 'r.customerId')
    .select([
      'r.id',
      'r.rating',
      'r.comment',
      'r.contactPersonId',
      contactPersonName.as('contactPersonName'),
      'r.customerId',
      'c.displayName as customerName',
      'r.createdAt',
      'r.updatedAt',
    ])
    .where('r.organizationId', '=', scope.organizationId)
    .where('cp.organizationId', '=', scope.organizationId)
    .where('c.organizationId', '=', scope.organizationId);
  const page = await listPage(
    select,
    { key: 'r.updatedAt', id: 'r.id', direction: 'desc', keyOf: (row) => row.updatedAt },
    query,
    (row) => row,
  );
  // Sum and count as integers, divided here: SQLite's avg is a float, PostgreSQL's a numeric.
  const totals = await db
    .selectFrom('reviews')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('count'),
      eb.fn.sum<number | string | null>('rating').as('sum'),
    ])
    .where('organizationId', '=', scope.organizationId)
    .executeTakeFirstOrThrow();
  const count = Number(totals.count);
  const sum = Number(totals.sum ?? 0);
  return {
    data: page.data,
    nextCursor: page.nextCursor,
    summary: { count, averageRating: count === 0 ? null : Math.round((sum / count) * 100) / 100 },
  };
}
