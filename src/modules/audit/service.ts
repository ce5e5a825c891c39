import type { Kysely, Transaction } from 'kysely';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import type { AuditLogTable, Database } from '../../db/schema.js';
import { invalid } from '../../domain/errors.js';
import { listPage } from '../../http/pagination.js';
import { contactNameSql } from '../customers/index.js';
import { queueAuditEvent } from '../webhooks/index.js';

/**
 * Every event the audit log knows: portal access and sign-ins of both realms, data exports, and refunds made at a
 * payment gateway (its dashboard) that Portico was told of by webhook.
 */
export const AUDIT_EVENTS = [
  'portal.invitation_sent',
  'portal.invitation_accepted',
  'portal.login_succeeded',
  'portal.login_failed',
  'portal.password_changed',
  'portal.password_reset_requested',
  'portal.password_reset',
  'portal.access_disabled',
  'portal.access_enabled',
  'portal.session_ended',
  'portal.details_changed',
  'portal.review_submitted',
  'portal.changes_requested',
  'portal.quote_requested',
  'portal.autopay_authorized',
  'portal.autopay_withdrawn',
  'portal.data_exported',
  'portal.second_factor_enrolled',
  'portal.second_factor_removed',
  'portal.second_factor_used',
  'portal.second_factor_failed',
  'portal.recovery_codes_created',
  'portal.second_factors_reset',
  'business.login_succeeded',
  'business.login_failed',
  'business.password_reset_requested',
  'business.password_reset',
  'business.data_exported',
  'business.bank_details_changed',
  'business.second_factor_enrolled',
  'business.second_factor_removed',
  'business.second_factor_used',
  'business.second_factor_failed',
  'business.recovery_codes_created',
  'business.second_factors_reset',
  'payment.refunded_at_gateway',
] as const;

export type AuditEvent = (typeof AUDIT_EVENTS)[number];

export interface AuditEntry {
  organizationId: string;
  event: AuditEvent;
  /** `anonymous`: nobody proved who they are yet (a failed sign-in, a forgot-password request). */
  actorType: AuditLogTable['actorType'];
  actorId?: string | null;
  /** The contact person the event is about, when it is about one. */
  contactPersonId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /** Extra facts, stored as JSON; never secrets (no passwords, tokens or hashes). */
  details?: Record<string, unknown>;
  /** `ctx.now().toISOString()`, so tests can move the clock. */
  at: string;
}

/** Writes one audit entry; pass the caller's transaction so the entry exists exactly when the change does. */
export async function recordAudit(db: Kysely<Database> | Transaction<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('auditLog')
    .values({
      id: newId('aud'),
      organizationId: entry.organizationId,
      event: entry.event,
      actorType: entry.actorType,
      actorId: entry.actorId ?? null,
      contactPersonId: entry.contactPersonId ?? null,
      ip: entry.ip ?? null,
      userAgent: entry.userAgent?.slice(0, 300) ?? null,
      details: JSON.stringify(entry.details ?? {}),
      createdAt: entry.at,
    })
    .execute();
  // Portal access events are outgoing webhooks too (modules/webhooks), in the same transaction.
  await queueAuditEvent(db, { ...entry, contactPersonId: entry.contactPersonId ?? null });
}

export interface AuditLogFilter {
  contactPersonId?: string;
  customerId?: string;
  event?: AuditEvent;
  /** An instant (ISO 8601 with a zone) or a date, the start of that day in the organization's time zone. */
  from?: string;
  /** An instant, or a date: up to the end of that day in the organization's time zone. Inclusive. */
  to?: string;
  limit?: number;
  cursor?: string;
}

/** A contact person's name as one string: first and last name, when there is a last name. */
const contactPersonName = contactNameSql('cp');

/** The organization's audit log, newest first. Filters by ids of another organization simply find nothing. */
export async function listAuditLog(ctx: AppContext, scope: OrgScope, filter: AuditLogFilter) {
  const timeZone = filter.from !== undefined || filter.to !== undefined ? await timeZoneOf(ctx, scope) : 'UTC';
  const from = filter.from === undefined ? undefined : boundOf(filter.from, timeZone, 'start', 'query:/from');
  const to = filter.to === undefined ? undefined : boundOf(filter.to, timeZone, 'end', 'query:/to');
  if (from !== undefined && to !== undefined && from > to) throw invalid('query:/to', 'must not be before from');

  let select = ctx.db.kysely
    .selectFrom('auditLog as a')
    .leftJoin('contactPersons as cp', (join) =>
      join.onRef('cp.id', '=', 'a.contactPersonId').on('cp.organizationId', '=', scope.organizationId),
    )
    .select([
      'a.id',
      'a.event',
      'a.actorType',
      'a.actorId',
      'a.contactPersonId',
      contactPersonName.as('contactPersonName'),
      'a.ip',
      'a.userAgent',
      'a.details',
      'a.createdAt',
    ])
    .where('a.organizationId', '=', scope.organizationId);
  if (filter.contactPersonId) select = select.where('a.contactPersonId', '=', filter.contactPersonId);
  if (filter.customerId) select = select.where('cp.customerId', '=', filter.customerId);
  if (filter.event) select = select.where('a.event', '=', filter.event);
  if (from !== undefined) select = select.where('a.createdAt', '>=', from);
  if (to !== undefined) select = select.where('a.createdAt', '<=', to);

  return listPage(
    select,
    { key: 'a.createdAt', id: 'a.id', direction: 'desc', keyOf: (row) => row.createdAt },
    filter,
    (row) => ({
      id: row.id,
      event: row.event,
      actorType: row.actorType,
      actorId: row.actorId,
      contactPersonId: row.contactPersonId,
      contactPersonName: row.contactPersonName ?? null,
      ip: row.ip,
      userAgent: row.userAgent,
      details: parseDetails(row.details),
      createdAt: row.createdAt,
    }),
  );
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

async function timeZoneOf(ctx: AppContext, scope: OrgScope): Promise<string> {
  const org = await ctx.db.kysely
    .selectFrom('organizations')
    .select('timeZone')
    .where('id', '=', scope.organizationId)
    .executeTakeFirstOrThrow();
  return org.timeZone;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A filter bound as the stored form (`toISOString()`), which compares as text in instant order. A date means the
 * start (or the last millisecond) of that day in the organization's time zone.
 */
function boundOf(text: string, timeZone: string, side: 'start' | 'end', path: string): string {
  const date = DATE.exec(text);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) throw invalid(path, 'is not a date');
    const start = startOfDayIn(timeZone, year, month, day);
    if (side === 'start') return new Date(start).toISOString();
    const next = new Date(Date.UTC(year, month - 1, day + 1));
    const nextStart = startOfDayIn(timeZone, next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate());
    return new Date(nextStart - 1).toISOString();
  }
  const instant = Date.parse(text);
  if (Number.isNaN(instant)) throw invalid(path, 'is not a date or a timestamp');
  return new Date(instant).toISOString();
}

/** The instant a calendar day starts in an IANA time zone (DST-aware: the offset is looked up twice). */
function startOfDayIn(timeZone: string, year: number, month: number, day: number): number {
  const wall = Date.UTC(year, month - 1, day);
  const first = wall - offsetAt(timeZone, wall);
  return wall - offsetAt(timeZone, first);
}

/** How far ahead of UTC the wall clock of the time zone is at an instant, in milliseconds. */
function offsetAt(timeZone: string, instant: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}
