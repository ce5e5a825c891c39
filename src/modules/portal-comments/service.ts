import type { Kysely, Transaction } from 'kysely';
import type { Static } from 'typebox';
import { countClientAction } from '../../auth/action-limits.js';
import type { PortalScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { notFound } from '../../domain/errors.js';
import { listPage } from '../../http/pagination.js';
import { type ActivitySubject, recordHistory } from '../activity/index.js';
import { contactNameSql } from '../customers/index.js';
import { visibleToCustomer } from '../documents/index.js';
import { notifyBusinessOfPortalActivity } from '../portal-notifications/index.js';
import { findPortalProject } from '../portal-projects/index.js';
import type { PortalComment, PortalCommentInput, PortalCommentListQuery } from './schemas.js';

/**
 * Comment threads in the portal. A client sees, on a document it may open (not a draft, of its own customer;
 * projects only while the portal shows projects), the comments of its customer's contact persons and the
 * business's comments marked "display in client portal" — never internal ones, never deleted ones.
 */

type Db = Kysely<Database> | Transaction<Database>;

/** 404 unless the client may open the subject; returns its human label (number, or the project's name). */
async function visibleSubject(db: Db, scope: PortalScope, subject: ActivitySubject, subjectId: string) {
  if (subject.table === 'projects') return (await findPortalProject(db, scope, subjectId)).name;
  const row = await db
    .selectFrom(subject.table)
    .select('number')
    .where('id', '=', subjectId)
    .where(visibleToCustomer(scope))
    .executeTakeFirst();
  if (!row) throw notFound(subject.what);
  return row.number;
}

const contactPersonName = contactNameSql('cp').$notNull();

async function organizationName(db: Db, organizationId: string) {
  const row = await db
    .selectFrom('organizations')
    .select('name')
    .where('id', '=', organizationId)
    .executeTakeFirstOrThrow();
  return row.name;
}

function threadOf(db: Db, scope: PortalScope, subject: ActivitySubject, subjectId: string) {
  return db
    .selectFrom('comments as c')
    .leftJoin('contactPersons as cp', (join) =>
      join
        .onRef('cp.id', '=', 'c.contactPersonId')
        .on('c.authorType', '=', 'contact_person')
        .on('cp.organizationId', '=', scope.organizationId),
    )
    .select([
      'c.id',
      'c.authorType',
      'c.contactPersonId',
      'c.text',
      'c.createdAt',
      contactPersonName.as('contactPersonName'),
    ])
    .where('c.organizationId', '=', scope.organizationId)
    .where('c.subjectType', '=', subject.subjectType)
    .where('c.subjectId', '=', subjectId)
    .where('c.deletedAt', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('c.authorType', '=', 'contact_person'), eb('cp.customerId', '=', scope.customerId)]),
        eb.and([eb('c.authorType', '=', 'user'), eb('c.shownInPortal', '=', 1)]),
      ]),
    );
}

type ThreadRow = {
  id: string;
  authorType: 'user' | 'contact_person';
  contactPersonId: string | null;
  text: string;
  createdAt: string;
  contactPersonName: string | null;
};

function presentComment(scope: PortalScope, business: string, row: ThreadRow): Static<typeof PortalComment> {
  const client = row.authorType === 'contact_person';
  return {
    id: row.id,
    authorType: client ? 'client' : 'business',
    authorName: client ? (row.contactPersonName ?? 'Client') : business,
    mine: client && row.contactPersonId === scope.contactPersonId,
    text: row.text,
    createdAt: row.createdAt,
  };
}

/** The thread, oldest first (a conversation reads top to bottom). */
export async function listPortalComments(
  ctx: AppContext,
  scope: PortalScope,
  subject: ActivitySubject,
  subjectId: string,
  query: Static<typeof PortalCommentListQuery>,
) {
  const db = ctx.db.kysely;
  await visibleSubject(db, scope, subject, subjectId);
  const page = await listPage(
    threadOf(db, scope, subject, subjectId),
    { key: 'c.createdAt', id: 'c.id', direction: 'asc', keyOf: (row) => row.createdAt },
    query,
    (row) => row,
  );
  const business = await organizationName(db, scope.organizationId);
  return { data: page.data.map((row) => presentComment(scope, business, row)), nextCursor: page.nextCursor };
}

/**
 * The client's comment: the comment, its history entry and the business's e-mail ("notify me") are written in
 * one transaction, so none exists without the others; the comment counts against the client's and the
 * organization's comment budgets first (`auth/action-limits.ts`), so a refused one writes nothing.
 */
export async function addPortalComment(
  ctx: AppContext,
  scope: PortalScope,
  subject: ActivitySubject,
  subjectId: string,
  input: Static<typeof PortalCommentInput>,
  ip: string,
): Promise<Static<typeof PortalComment>> {
  // The schema requires a non-blank character, so the trimmed text is never empty.
  const text = input.text.trim();
  const id = newId('cmt');
  const now = ctx.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await countClientAction(ctx, trx, scope, 'comment');
    const label = await visibleSubject(trx, scope, subject, subjectId);
    await trx
      .insertInto('comments')
      .values({
        id,
        organizationId: scope.organizationId,
        subjectType: subject.subjectType,
        subjectId,
        authorType: 'contact_person',
        userId: null,
        contactPersonId: scope.contactPersonId,
        text,
        // A client's comment is part of the portal thread by nature.
        shownInPortal: 1,
        createdAt: now,
        deletedAt: null,
      })
      .execute();
    await recordHistory(trx, {
      organizationId: scope.organizationId,
      subjectType: subject.subjectType,
      subjectId,
      event: 'commented',
      description: 'Commented in the portal',
      actorType: 'contact_person',
      actorId: scope.contactPersonId,
      ip,
      shownInPortal: false,
      createdAt: now,
    });
    await notifyBusinessOfPortalActivity(trx, ctx, scope, {
      event: 'commented',
      target: { kind: subject.subjectType, id: subjectId, label },
      detail: text,
    });
  });
  const row = await threadOf(ctx.db.kysely, scope, subject, subjectId).where('c.id', '=', id).executeTakeFirstOrThrow();
  return presentComment(scope, await organizationName(ctx.db.kysely, scope.organizationId), row);
}
