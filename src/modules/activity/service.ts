import type { Kysely, Transaction } from 'kysely';
import type { Static } from 'typebox';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import type { CommentSubject, Database, HistoryTable } from '../../db/schema.js';
import { AppError, notFound } from '../../domain/errors.js';
import { type ListOrder, listPage } from '../../http/pagination.js';
import { contactNameSql } from '../customers/index.js';
import { emailCustomerOfBusinessReply } from '../portal-notifications/index.js';
import { queueHistoryEvent } from '../webhooks/index.js';
import type { CommentInput } from './schemas.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The URL segment of each thing that has comments and history, and its subject type. */
export const ACTIVITY_SUBJECTS = [
  { segment: 'estimates', subjectType: 'estimate', table: 'estimates', what: 'estimate' },
  { segment: 'invoices', subjectType: 'invoice', table: 'invoices', what: 'invoice' },
  {
    segment: 'retainer-invoices',
    subjectType: 'retainer_invoice',
    table: 'retainerInvoices',
    what: 'retainer invoice',
  },
  { segment: 'projects', subjectType: 'project', table: 'projects', what: 'project' },
] as const satisfies ReadonlyArray<{
  segment: string;
  subjectType: CommentSubject;
  table: keyof Database;
  what: string;
}>;

export type ActivitySubject = (typeof ACTIVITY_SUBJECTS)[number];

export interface NewHistoryEntry {
  organizationId: string;
  subjectType: HistoryTable['subjectType'];
  subjectId: string;
  /** A stable snake word: created, updated, sent, converted, voided, reopened, written_off… */
  event: string;
  /** What happened in words, for people. */
  description: string;
  actorType: HistoryTable['actorType'];
  actorId: string | null;
  ip?: string | null;
  shownInPortal?: boolean;
  /** Defaults to the wall clock; services pass `ctx.now()` so tests can move time. */
  createdAt?: string;
}

/** Writes one history entry, inside the caller's transaction so it exists exactly when the change does. */
export async function recordHistory(trx: Db, entry: NewHistoryEntry): Promise<void> {
  await trx
    .insertInto('history')
    .values({
      id: newId('hst'),
      organizationId: entry.organizationId,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId,
      event: entry.event,
      description: entry.description,
      actorType: entry.actorType,
      actorId: entry.actorId,
      ip: entry.ip ?? null,
      shownInPortal: entry.shownInPortal ? 1 : 0,
      createdAt: entry.createdAt ?? new Date().toISOString(),
    })
    .execute();
  // The outgoing webhook it is, if any, in the same transaction (modules/webhooks).
  await queueHistoryEvent(trx, { ...entry, createdAt: entry.createdAt ?? new Date().toISOString() });
}

/**
 * Who did it, for history: a signed-in user, or an API key (a user-side actor with no person behind it).
 */
export function actorOf(scope: OrgScope): Pick<NewHistoryEntry, 'actorType' | 'actorId'> {
  if (scope.via === 'system') return { actorType: 'system', actorId: null };
  return { actorType: 'user', actorId: scope.userId };
}

/** 404 unless the subject exists in the scope's organization (another organization's id included). */
export async function assertSubjectExists(db: Db, scope: OrgScope, subject: ActivitySubject, subjectId: string) {
  const row = await db
    .selectFrom(subject.table)
    .select('id')
    .where('id', '=', subjectId)
    .where('organizationId', '=', scope.organizationId)
    .executeTakeFirst();
  if (!row) throw notFound(subject.what);
}

/** Removes a deleted draft's comments and history with it, in the deleting transaction. */
export async function deleteActivityOf(
  trx: Db,
  organizationId: string,
  subjectType: CommentSubject,
  subjectId: string,
) {
  await trx
    .deleteFrom('comments')
    .where('organizationId', '=', organizationId)
    .where('subjectType', '=', subjectType)
    .where('subjectId', '=', subjectId)
    .execute();
  await trx
    .deleteFrom('history')
    .where('organizationId', '=', organizationId)
    .where('subjectType', '=', subjectType)
    .where('subjectId', '=', subjectId)
    .execute();
}

interface Page {
  limit?: number;
  cursor?: string;
}

/** Threads and history read top to bottom, oldest first; `alias` is the listed table's name in the query. */
const oldestFirst = (alias: string): ListOrder<{ createdAt: string }> => ({
  key: `${alias}.createdAt`,
  id: `${alias}.id`,
  direction: 'asc',
  keyOf: (row) => row.createdAt,
});

/** A contact person's name as one string: first and last name, when there is a last name. */
const contactPersonName = contactNameSql('cp');

export async function listComments(
  ctx: AppContext,
  scope: OrgScope,
  subject: ActivitySubject,
  subjectId: string,
  page: Page,
) {
  await assertSubjectExists(ctx.db.kysely, scope, subject, subjectId);
  const select = ctx.db.kysely
    .selectFrom('comments as c')
    .leftJoin('users as u', (join) => join.onRef('u.id', '=', 'c.userId').on('c.authorType', '=', 'user'))
    .leftJoin('contactPersons as cp', (join) =>
      join.onRef('cp.id', '=', 'c.contactPersonId').on('c.authorType', '=', 'contact_person'),
    )
    .selectAll('c')
    .select(['u.name as userName', contactPersonName.as('contactPersonName')])
    .where('c.organizationId', '=', scope.organizationId)
    .where('c.subjectType', '=', subject.subjectType)
    .where('c.subjectId', '=', subjectId)
    .where('c.deletedAt', 'is', null);
  return listPage(select, oldestFirst('c'), page, presentComment);
}

function presentComment(row: {
  id: string;
  subjectType: string;
  subjectId: string;
  authorType: 'user' | 'contact_person';
  userId: string | null;
  contactPersonId: string | null;
  userName?: string | null;
  contactPersonName?: string | null;
  text: string;
  shownInPortal: number;
  createdAt: string;
}) {
  return {
    id: row.id,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    authorType: row.authorType,
    userId: row.userId,
    contactPersonId: row.contactPersonId,
    authorName: (row.authorType === 'user' ? row.userName : row.contactPersonName) ?? null,
    text: row.text,
    showInPortal: row.shownInPortal === 1,
    createdAt: row.createdAt,
  };
}

export async function addComment(
  ctx: AppContext,
  scope: OrgScope,
  subject: ActivitySubject,
  subjectId: string,
  input: Static<typeof CommentInput>,
) {
  await assertSubjectExists(ctx.db.kysely, scope, subject, subjectId);
  const id = newId('cmt');
  // The comment and the customer's e-mails about it ("e-mail my customer when I comment") commit together.
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx
      .insertInto('comments')
      .values({
        id,
        organizationId: scope.organizationId,
        subjectType: subject.subjectType,
        subjectId,
        authorType: 'user',
        userId: scope.userId,
        contactPersonId: null,
        text: input.text,
        shownInPortal: input.showInPortal ? 1 : 0,
        createdAt: ctx.now().toISOString(),
        deletedAt: null,
      })
      .execute();
    if (input.showInPortal) {
      await emailCustomerOfBusinessReply(trx, ctx, scope.organizationId, subject, subjectId, input.text);
    }
  });
  const user = scope.userId
    ? await ctx.db.kysely.selectFrom('users').select('name').where('id', '=', scope.userId).executeTakeFirst()
    : undefined;
  const row = await ctx.db.kysely.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return presentComment({ ...row, userName: user?.name ?? null });
}

/** Business users may take back what the business wrote; what a client wrote stays (409). */
export async function deleteComment(
  ctx: AppContext,
  scope: OrgScope,
  subject: ActivitySubject,
  subjectId: string,
  commentId: string,
) {
  await assertSubjectExists(ctx.db.kysely, scope, subject, subjectId);
  const comment = await ctx.db.kysely
    .selectFrom('comments')
    .select(['id', 'authorType'])
    .where('id', '=', commentId)
    .where('organizationId', '=', scope.organizationId)
    .where('subjectType', '=', subject.subjectType)
    .where('subjectId', '=', subjectId)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  if (!comment) throw notFound('comment');
  if (comment.authorType !== 'user') {
    throw new AppError('conflict', "A client's comment cannot be deleted.");
  }
  await ctx.db.kysely
    .updateTable('comments')
    .set({ deletedAt: ctx.now().toISOString() })
    .where('id', '=', commentId)
    .where('organizationId', '=', scope.organizationId)
    .execute();
}

export async function listHistory(
  ctx: AppContext,
  scope: OrgScope,
  subject: ActivitySubject,
  subjectId: string,
  page: Page,
) {
  await assertSubjectExists(ctx.db.kysely, scope, subject, subjectId);
  const select = ctx.db.kysely
    .selectFrom('history as h')
    .leftJoin('users as u', (join) => join.onRef('u.id', '=', 'h.actorId').on('h.actorType', '=', 'user'))
    .leftJoin('contactPersons as cp', (join) =>
      join.onRef('cp.id', '=', 'h.actorId').on('h.actorType', '=', 'contact_person'),
    )
    .selectAll('h')
    .select(['u.name as userName', contactPersonName.as('contactPersonName')])
    .where('h.organizationId', '=', scope.organizationId)
    .where('h.subjectType', '=', subject.subjectType)
    .where('h.subjectId', '=', subjectId);
  return listPage(select, oldestFirst('h'), page, (row) => ({
    id: row.id,
    event: row.event,
    description: row.description,
    actorType: row.actorType,
    actorId: row.actorId,
    actorName:
      (row.actorType === 'user' ? row.userName : row.actorType === 'contact_person' ? row.contactPersonName : null) ??
      null,
    ip: row.ip,
    shownInPortal: row.shownInPortal === 1,
    createdAt: row.createdAt,
  }));
}
