import type { FastifyRequest } from 'fastify';
import type { PortalScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { AppError, invalid } from '../../domain/errors.js';
import { keyedDigest } from '../../payments/secret-box.js';
import { IDEMPOTENCY_KEY_MAX_LENGTH } from './schemas.js';

/**
 * Idempotency keys of payment requests (SECURITY.md "Payments"). A key is claimed by inserting an
 * `in_progress` row under the primary key (organization, scope, key): of two concurrent requests with one key,
 * the database lets exactly one insert; the other answers 409 `idempotency_conflict`. The winner stores its
 * response; a later request with the same key and the same fingerprint gets that response again (a failed
 * payment's too), with another fingerprint a 409 `idempotency_conflict`. Keys are kept 24 h, then pruned.
 *
 * A request refused before any payment attempt exists (bad input, 404, a pending payment, the balance) gives
 * its key back: nothing happened, and such refusals depend on the moment, not on the key.
 */

export const IDEMPOTENCY_KEEP_HOURS = 24;
/** An in-progress claim older than this belongs to a request that died (a crash): it may be taken over. */
const STALE_CLAIM_SECONDS = 60;

export interface IdempotencyClaim {
  organizationId: string;
  scopeKey: string;
  key: string;
  fingerprint: string;
}

export interface StoredResponse {
  status: number;
  body: unknown;
}

/** A canonical JSON text: object keys sorted, so `{a, b}` and `{b, a}` are one request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Method, path and canonical body, as a keyed digest: the body may hold a sandbox test card, never stored. */
function requestFingerprint(ctx: AppContext, method: string, path: string, body: unknown): string {
  return keyedDigest(ctx.config.appSecret, 'idempotency-fingerprint', `${method} ${path}\n${canonical(body)}`);
}

type ClaimOutcome =
  | { kind: 'claimed' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'resume'; attemptId: string };

async function claimIdempotencyKey(ctx: AppContext, claim: IdempotencyClaim): Promise<ClaimOutcome> {
  const db = ctx.db.kysely;
  for (let round = 0; round < 3; round += 1) {
    const now = ctx.now();
    try {
      await db
        .insertInto('idempotencyKeys')
        .values({
          ...claim,
          status: 'in_progress',
          attemptId: null,
          responseStatus: null,
          responseBody: null,
          createdAt: now.toISOString(),
          expiresAt: new Date(now.getTime() + IDEMPOTENCY_KEEP_HOURS * 3600_000).toISOString(),
        })
        .execute();
      return { kind: 'claimed' };
    } catch (error) {
      const existing = await db
        .selectFrom('idempotencyKeys')
        .selectAll()
        .where('organizationId', '=', claim.organizationId)
        .where('scopeKey', '=', claim.scopeKey)
        .where('key', '=', claim.key)
        .executeTakeFirst();
      // Not a duplicate key after all (or the row was pruned or given back meanwhile): try again, then give up.
      if (!existing) {
        if (round === 2) throw error;
        continue;
      }
      if (existing.fingerprint !== claim.fingerprint) {
        throw new AppError(
          'idempotency_conflict',
          'This Idempotency-Key was already used for a request with other parameters. Use a new key.',
        );
      }
      if (existing.status === 'done') {
        return {
          kind: 'replay',
          response: { status: existing.responseStatus ?? 200, body: JSON.parse(existing.responseBody ?? 'null') },
        };
      }
      const stale = Date.parse(existing.createdAt) < now.getTime() - STALE_CLAIM_SECONDS * 1000;
      if (!stale) {
        throw new AppError('idempotency_conflict', 'A request with this Idempotency-Key is still in progress.');
      }
      // The request that claimed the key died. With its attempt written, answer with that attempt (the
      // reconciler settles it); without, nothing happened yet: take the claim over (compare-and-set).
      if (existing.attemptId) return { kind: 'resume', attemptId: existing.attemptId };
      const taken = await db
        .updateTable('idempotencyKeys')
        .set({ createdAt: now.toISOString() })
        .where('organizationId', '=', claim.organizationId)
        .where('scopeKey', '=', claim.scopeKey)
        .where('key', '=', claim.key)
        .where('status', '=', 'in_progress')
        .where('createdAt', '=', existing.createdAt)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) === 1) return { kind: 'claimed' };
      throw new AppError('idempotency_conflict', 'A request with this Idempotency-Key is still in progress.');
    }
  }
  throw new Error('unreachable');
}

const where = (claim: IdempotencyClaim) => (ctx: AppContext) =>
  ctx.db.kysely
    .updateTable('idempotencyKeys')
    .where('organizationId', '=', claim.organizationId)
    .where('scopeKey', '=', claim.scopeKey)
    .where('key', '=', claim.key);

/** The attempt the claim's request created, so a retry after a crash finds it. */
async function attachAttempt(ctx: AppContext, claim: IdempotencyClaim, attemptId: string): Promise<void> {
  await where(claim)(ctx).set({ attemptId }).execute();
}

async function completeIdempotencyKey(
  ctx: AppContext,
  claim: IdempotencyClaim,
  response: StoredResponse,
): Promise<void> {
  await where(claim)(ctx)
    .set({ status: 'done', responseStatus: response.status, responseBody: JSON.stringify(response.body) })
    .execute();
}

async function releaseIdempotencyKey(ctx: AppContext, claim: IdempotencyClaim): Promise<void> {
  await ctx.db.kysely
    .deleteFrom('idempotencyKeys')
    .where('organizationId', '=', claim.organizationId)
    .where('scopeKey', '=', claim.scopeKey)
    .where('key', '=', claim.key)
    .where('status', '=', 'in_progress')
    .execute();
}

const KEY_PATTERN = /^[\x21-\x7e]+$/;

/** The request's Idempotency-Key header: required, 1 to 255 visible ASCII characters. */
function idempotencyKeyOf(request: FastifyRequest): string {
  const header = request.headers['idempotency-key'];
  const key = Array.isArray(header) ? header[0] : header;
  if (!key) throw invalid('header:/idempotency-key', 'An Idempotency-Key header is required.');
  if (key.length > IDEMPOTENCY_KEY_MAX_LENGTH || !KEY_PATTERN.test(key)) {
    throw invalid(
      'header:/idempotency-key',
      `An Idempotency-Key is 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} visible ASCII characters.`,
    );
  }
  return key;
}

/**
 * A portal request that moves money (Pay Now, a card authorized for automatic payments) under its
 * Idempotency-Key, answering 201 with what `run` returns. The same key with the same request answers the stored
 * response again; a request that died after writing its record (the attempt, the card) is answered from that
 * record by `resume`. `run` calls `recorded(id)` as soon as that record exists; refused before that (an
 * AppError), nothing happened and the key is given back.
 */
export async function answerOnce<T>(
  ctx: AppContext,
  request: FastifyRequest,
  scope: PortalScope,
  steps: {
    run: (recorded: (recordId: string) => Promise<void>) => Promise<T>;
    resume: (recordId: string) => Promise<T>;
  },
): Promise<StoredResponse> {
  const path = request.url.split('?')[0] ?? request.url;
  const claim: IdempotencyClaim = {
    organizationId: scope.organizationId,
    scopeKey: scope.contactPersonId,
    key: idempotencyKeyOf(request),
    fingerprint: requestFingerprint(ctx, request.method, path, request.body),
  };
  const claimed = await claimIdempotencyKey(ctx, claim);
  if (claimed.kind === 'replay') return claimed.response;
  if (claimed.kind === 'resume') return { status: 201, body: await steps.resume(claimed.attemptId) };
  let recorded = false;
  try {
    const body = await steps.run(async (recordId) => {
      recorded = true;
      await attachAttempt(ctx, claim, recordId);
    });
    const response = { status: 201, body };
    await completeIdempotencyKey(ctx, claim, response);
    return response;
  } catch (error) {
    if (!recorded && error instanceof AppError) await releaseIdempotencyKey(ctx, claim);
    throw error;
  }
}

/** The scheduler's pruning: keys past their 24 h. */
export async function pruneIdempotencyKeys(ctx: AppContext): Promise<number> {
  const result = await ctx.db.kysely
    .deleteFrom('idempotencyKeys')
    .where('expiresAt', '<', ctx.now().toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
