import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { prepared } from '../db/database.js';
import { ReusableReads } from '../db/reusable-reads.js';
import { todayIn } from '../domain/dates.js';
import { AppError, notFound } from '../domain/errors.js';
import { changeTokenOf } from '../http/response-cache.js';
import { checkCsrf } from './csrf.js';
import type { PortalScope } from './scopes.js';
import { enforceEnrolment } from './second-factor-gate.js';
import { keepSessionAlive, sessionIdOf } from './sessions.js';

declare module 'fastify' {
  interface FastifyRequest {
    portalScope?: PortalScope;
    portalSessionId?: string;
    /** The customer's and the organization's portal versions, as the guard read them (see `portalAnswer`). */
    portalVersion?: string;
    /** The organization's time zone, as the guard read it: the day is part of a reused answer's key. */
    portalTimeZone?: string;
  }
}

export interface PortalOrganization {
  id: string;
  name: string;
  slug: string;
  passwordMinLength: number;
}

/**
 * The organization whose portal the URL names. A disabled portal, like an unknown name, answers 404:
 * nobody learns which businesses use Portico.
 */
export async function portalOrganization(ctx: AppContext, slug: string): Promise<PortalOrganization> {
  const org = await ctx.db.kysely
    .selectFrom('organizations')
    .select(['id', 'name', 'slug', 'passwordMinLength'])
    .where('slug', '=', slug)
    .where('portalEnabled', '=', 1)
    .executeTakeFirst();
  if (!org) throw notFound('portal');
  return org;
}

interface PortalCallerRow {
  organizationId: string;
  sessionId: string | null;
  sessionOrganizationId: string | null;
  contactPersonId: string | null;
  csrfToken: string | null;
  lastSeenAt: string | null;
  expiresAt: string | null;
  enrolmentRequired: number | null;
  personId: string | null;
  customerId: string | null;
  customerVersion: number | null;
  organizationVersion: number;
  organizationTimeZone: string;
}

/**
 * Everything the guard checks, read in one statement (one consistent snapshot): the portal of the URL (enabled),
 * the session of the cookie (any organization: the comparison is made below), and the session's contact person
 * only if still active, not deleted, of this organization, under a customer not deleted.
 * With them, the customer's and the organization's portal versions (migration 0009) and the organization's time
 * zone: what the portal's reused answers are keyed by.
 * The SQL text is compiled once; the row is reused only while no write has happened (`callers`, below).
 */
const portalCaller = prepared<{ slug: string; sessionId: string | null }, PortalCallerRow>((db, args) =>
  db
    .selectFrom('organizations as o')
    .leftJoin('sessions as s', (join) => join.on('s.id', '=', args.sessionId).on('s.realm', '=', 'portal'))
    .leftJoin('contactPersons as cp', (join) =>
      join
        .onRef('cp.id', '=', 's.contactPersonId')
        .onRef('cp.organizationId', '=', 'o.id')
        .on('cp.portalStatus', '=', 'active')
        .on('cp.deletedAt', 'is', null),
    )
    .leftJoin('customers as c', (join) => join.onRef('c.id', '=', 'cp.customerId').on('c.deletedAt', 'is', null))
    .select([
      'o.id as organizationId',
      's.id as sessionId',
      's.organizationId as sessionOrganizationId',
      's.contactPersonId',
      's.csrfToken',
      's.lastSeenAt',
      's.expiresAt',
      's.enrolmentRequired',
      'cp.id as personId',
      'c.id as customerId',
      // What the portal's reused answers are keyed by (`portalAnswer`): read here, so it costs no query.
      'c.portalVersion as customerVersion',
      'o.portalVersion as organizationVersion',
      'o.timeZone as organizationTimeZone',
    ])
    .where('o.slug', '=', args.slug)
    .where('o.portalEnabled', '=', 1),
);

/**
 * The guard's row for a portal and session, reused while the database has not changed since it was read: then
 * it is exactly what the query would answer again. Everything that depends on the time (expiry) is decided
 * from the row on every request.
 */
const callers = new ReusableReads<Readonly<PortalCallerRow> | undefined>({ maxEntries: 10_000 });

/**
 * Resolves the portal caller. The session must belong to the organization of the URL's portal (a session of
 * another organization's portal is useless here), and its contact person must still have access: disabled,
 * deleted or moved people are signed out on their next request (each of those is a write, after which the row is
 * read afresh).
 */
export function portalGuard(ctx: AppContext) {
  return async (request: FastifyRequest): Promise<void> => {
    const { slug } = request.params as { slug: string };
    const sessionId = sessionIdOf(ctx, request, 'portal');
    const row = await callers.read(
      ctx.db,
      `${slug}|${sessionId ?? ''}`,
      0,
      async () => {
        const [found] = await portalCaller(ctx.db, { slug, sessionId });
        return found ? Object.freeze(found) : undefined;
      },
      changeTokenOf(ctx, request),
    );
    if (!row) throw notFound('portal');
    if (
      row.sessionId === null ||
      row.csrfToken === null ||
      row.lastSeenAt === null ||
      row.expiresAt === null ||
      !(await keepSessionAlive(ctx, { id: row.sessionId, lastSeenAt: row.lastSeenAt, expiresAt: row.expiresAt }))
    ) {
      throw new AppError('unauthenticated', 'Sign in first.');
    }
    if (!row.contactPersonId || row.sessionOrganizationId !== row.organizationId) {
      throw new AppError('unauthenticated', 'Sign in first.');
    }
    if (row.personId === null || row.customerId === null) {
      await ctx.db.kysely.deleteFrom('sessions').where('id', '=', row.sessionId).execute();
      throw new AppError('unauthenticated', 'Sign in first.');
    }
    checkCsrf(ctx, request, row.csrfToken);
    enforceEnrolment(request, row.enrolmentRequired ?? 0);
    request.portalSessionId = row.sessionId;
    request.portalVersion = `${row.customerVersion}.${row.organizationVersion}`;
    request.portalTimeZone = row.organizationTimeZone;
    request.portalScope = {
      organizationId: row.organizationId,
      customerId: row.customerId,
      contactPersonId: row.personId,
    };
  };
}

export function portalScopeOf(request: FastifyRequest): PortalScope {
  if (!request.portalScope) throw new AppError('unauthenticated', 'Sign in first.');
  return request.portalScope;
}

/**
 * What a portal GET's answer depends on, as the key: who asks (organization, customer, contact person), the URL
 * asked, and the organization's today — the passing of time changes these answers only through the date (what is
 * overdue, which estimates have expired, the chart's months). And the data, as the version: the customer's and the
 * organization's portal versions the guard read for this request. Every change to what a customer's portal shows
 * moves one of them in its own transaction (the triggers of migration 0009), so an answer kept under the same
 * versions is what the read would answer now — on SQLite and PostgreSQL alike, whichever instance wrote, and
 * another customer's changes leave it in place.
 */
export function portalAnswer(ctx: AppContext, request: FastifyRequest): { key: string; version: string } {
  const scope = portalScopeOf(request);
  if (request.portalVersion === undefined || request.portalTimeZone === undefined) {
    throw new AppError('unauthenticated', 'Sign in first.');
  }
  const today = todayIn(request.portalTimeZone, ctx.now());
  return {
    key: `${scope.organizationId}|${scope.customerId}|${scope.contactPersonId}|${today}|${request.url}`,
    version: request.portalVersion,
  };
}
