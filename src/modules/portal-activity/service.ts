import { sql } from 'kysely';
import type { Static } from 'typebox';
import { workingApiKey } from '../../auth/business-guard.js';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { afterCursor, type Cursor, decodeCursor, encodeCursor } from '../../http/pagination.js';
import { contactNameSql } from '../customers/index.js';
import type { PortalActivityEvent, PortalActivityItem } from './schemas.js';

/**
 * The organization's portal activity feed: what contact persons did in the portal, newest first.
 *
 * Two sources, merged: the document history written by portal actions (actor = contact person: viewed, accepted,
 * declined, changes requested, commented, forwarded, paid) and the audit log's portal entries that concern no document (details
 * changed, review submitted). Each source is read with the same keyset (created_at, id) and `limit + 1` rows, so
 * the merged first `limit + 1` rows are exact and the cursor works across both.
 */

type Item = Static<typeof PortalActivityItem>;

const HISTORY_EVENTS = [
  'viewed',
  'accepted',
  'declined',
  'changes_requested',
  'commented',
  'forwarded',
  'paid',
] as const;
const AUDIT_EVENTS = { 'portal.details_changed': 'details_changed', 'portal.review_submitted': 'reviewed' } as const;
const DOCUMENT_KINDS = new Set(['estimate', 'invoice', 'retainer_invoice', 'project']);

const contactPersonName = contactNameSql('cp');

export interface ActivityRange {
  order: 'asc' | 'desc';
  limit: number;
  /** Rows strictly after this (createdAt, id) in the given order. */
  cursor?: Cursor | null;
  /** Rows created at or after this instant (the live stream's look-back window). */
  since?: string;
}

interface Row {
  id: string;
  event: string;
  createdAt: string;
  contactPersonId: string | null;
  contactPersonName: string | null;
  customerId: string | null;
  customerName: string | null;
}

function person(row: Row): Pick<Item, 'contactPerson' | 'customer'> {
  return {
    contactPerson:
      row.contactPersonId && row.contactPersonName !== null
        ? { id: row.contactPersonId, name: row.contactPersonName }
        : null,
    customer: row.customerId && row.customerName !== null ? { id: row.customerId, name: row.customerName } : null,
  };
}

async function historyItems(ctx: AppContext, organizationId: string, range: ActivityRange): Promise<Item[]> {
  let select = ctx.db.kysely
    .selectFrom('history as h')
    .leftJoin('contactPersons as cp', (join) =>
      join.onRef('cp.id', '=', 'h.actorId').on('cp.organizationId', '=', organizationId),
    )
    .leftJoin('customers as c', 'c.id', 'cp.customerId')
    .leftJoin('estimates as e', (join) => join.onRef('e.id', '=', 'h.subjectId').on('h.subjectType', '=', 'estimate'))
    .leftJoin('invoices as i', (join) => join.onRef('i.id', '=', 'h.subjectId').on('h.subjectType', '=', 'invoice'))
    .leftJoin('retainerInvoices as r', (join) =>
      join.onRef('r.id', '=', 'h.subjectId').on('h.subjectType', '=', 'retainer_invoice'),
    )
    .leftJoin('projects as p', (join) => join.onRef('p.id', '=', 'h.subjectId').on('h.subjectType', '=', 'project'))
    .select([
      'h.id',
      'h.event',
      'h.createdAt',
      'h.subjectType',
      'h.subjectId',
      'h.actorId as contactPersonId',
      contactPersonName.as('contactPersonName'),
      'c.id as customerId',
      'c.displayName as customerName',
      sql<string | null>`coalesce(${sql.ref('e.number')}, ${sql.ref('i.number')}, ${sql.ref('r.number')}, ${sql.ref(
        'p.name',
      )})`.as('number'),
    ])
    .where('h.organizationId', '=', organizationId)
    .where('h.actorType', '=', 'contact_person')
    .where('h.event', 'in', HISTORY_EVENTS)
    .where('h.subjectType', 'in', ['estimate', 'invoice', 'retainer_invoice', 'project'])
    .orderBy('h.createdAt', range.order)
    .orderBy('h.id', range.order)
    .limit(range.limit);
  if (range.cursor) select = select.where(afterCursor(range.cursor, 'h.createdAt', 'h.id', range.order));
  if (range.since) select = select.where('h.createdAt', '>=', range.since);
  const rows = await select.execute();
  return rows.map((row) => ({
    id: row.id,
    event: row.event as PortalActivityEvent,
    at: row.createdAt,
    ...person(row),
    document: DOCUMENT_KINDS.has(row.subjectType)
      ? { kind: row.subjectType as 'estimate', id: row.subjectId, number: row.number }
      : null,
    rating: null,
  }));
}

/**
 * The entries of one audit event: these events are rare among the sign-ins of the audit log, so each is read by
 * its own (organization, event, created_at, id) index; both events in one `in` list walked the whole log instead.
 */
async function auditItems(
  ctx: AppContext,
  organizationId: string,
  event: keyof typeof AUDIT_EVENTS,
  range: ActivityRange,
): Promise<Item[]> {
  let select = ctx.db.kysely
    .selectFrom('auditLog as a')
    .leftJoin('contactPersons as cp', (join) =>
      join.onRef('cp.id', '=', 'a.contactPersonId').on('cp.organizationId', '=', organizationId),
    )
    .leftJoin('customers as c', 'c.id', 'cp.customerId')
    .select([
      'a.id',
      'a.event',
      'a.createdAt',
      'a.details',
      'a.contactPersonId',
      contactPersonName.as('contactPersonName'),
      'c.id as customerId',
      'c.displayName as customerName',
    ])
    .where('a.organizationId', '=', organizationId)
    .where('a.event', '=', event)
    .orderBy('a.createdAt', range.order)
    .orderBy('a.id', range.order)
    .limit(range.limit);
  if (range.cursor) select = select.where(afterCursor(range.cursor, 'a.createdAt', 'a.id', range.order));
  if (range.since) select = select.where('a.createdAt', '>=', range.since);
  const rows = await select.execute();
  return rows.map((row) => {
    let rating: number | null = null;
    if (row.event === 'portal.review_submitted') {
      try {
        const value = (JSON.parse(row.details) as { rating?: unknown }).rating;
        rating = typeof value === 'number' ? value : null;
      } catch {
        rating = null;
      }
    }
    return {
      id: row.id,
      event: AUDIT_EVENTS[row.event as keyof typeof AUDIT_EVENTS],
      at: row.createdAt,
      ...person(row),
      document: null,
      rating,
    };
  });
}

/** The (createdAt, id) order both databases use for these ASCII keys. */
function compare(a: Item, b: Item): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Up to `range.limit` items of the history and of each audit event, merged in the range's order. */
export async function portalActivity(ctx: AppContext, scope: OrgScope, range: ActivityRange): Promise<Item[]> {
  const events = Object.keys(AUDIT_EVENTS) as Array<keyof typeof AUDIT_EVENTS>;
  const sources = await Promise.all([
    historyItems(ctx, scope.organizationId, range),
    ...events.map((event) => auditItems(ctx, scope.organizationId, event, range)),
  ]);
  const sign = range.order === 'asc' ? 1 : -1;
  return sources
    .flat()
    .sort((a, b) => sign * compare(a, b))
    .slice(0, range.limit);
}

export const cursorOf = (item: Item) => encodeCursor({ key: item.at, id: item.id });

/** One page of the feed, newest first. */
export async function listPortalActivity(
  ctx: AppContext,
  scope: OrgScope,
  query: { limit?: number; cursor?: string },
): Promise<{ data: Item[]; nextCursor: string | null }> {
  const limit = query.limit ?? 25;
  const items = await portalActivity(ctx, scope, {
    order: 'desc',
    limit: limit + 1,
    cursor: decodeCursor(query.cursor),
  });
  const data = items.slice(0, limit);
  const last = data.at(-1);
  return { data, nextCursor: items.length > limit && last ? cursorOf(last) : null };
}

/** What the caller of the live stream showed when it opened: an API key, or the session it is signed in with. */
export interface StreamCredentials {
  apiKey: string;
  sessionId: string | undefined;
}

/**
 * Whether the caller that opened the live stream may still read it: a revoked API key (or one whose user was since
 * disabled or demoted), a session that ended (signed out, past its absolute lifetime, or idle: the stream itself is
 * not activity, so an open tab nobody uses ends with its session) or a user since disabled ends the stream at its
 * next poll.
 */
export async function callerStillValid(
  ctx: AppContext,
  scope: OrgScope,
  credentials: StreamCredentials,
): Promise<boolean> {
  if (scope.via === 'api_key') {
    const key = await workingApiKey(ctx, credentials.apiKey);
    return key !== undefined && key.organizationId === scope.organizationId;
  }
  if (!credentials.sessionId || !scope.userId) return false;
  const now = ctx.now();
  // The same idle limit as `keepSessionAlive`, measured from the session's last request.
  const idleSince = new Date(now.getTime() - ctx.config.sessionIdleMinutes * 60_000).toISOString();
  const row = await ctx.db.kysely
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.userId')
    .select('sessions.id')
    .where('sessions.id', '=', credentials.sessionId)
    .where('users.organizationId', '=', scope.organizationId)
    .where('sessions.expiresAt', '>', now.toISOString())
    .where('sessions.lastSeenAt', '>', idleSince)
    .where('users.disabledAt', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}
