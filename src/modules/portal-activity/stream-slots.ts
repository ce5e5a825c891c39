import { randomUUID } from 'node:crypto';
import { hashToken } from '../../auth/tokens.js';
import type { AppContext } from '../../context.js';
import type { StreamCredentials } from './service.js';

/**
 * At most `STREAM_CAP.perOwner` live activity streams per session (or per API key) at once, on all instances
 * together (docs/limits.md). Each open stream holds one of its owner's numbered places in `activity_stream_slots`;
 * a place is taken by an insert that does nothing when the place is held (the primary key decides, so streams
 * opened at once cannot share one), marked seen at every poll, and given back when the stream ends. A place not
 * seen for `staleAfterMs` belonged to an instance that stopped without closing it, and is free again.
 *
 * Mutable so tests can change it; production keeps the defaults.
 */
export const STREAM_CAP = { perOwner: 5, staleAfterMs: 2 * 60_000 };

export interface StreamSlot {
  owner: string;
  slot: number;
  streamId: string;
}

/** Whose streams count together: the session's, or the API key's (by its hash, as `api_keys` stores it). */
export function streamOwnerOf(credentials: StreamCredentials): string {
  return credentials.sessionId ? `session:${credentials.sessionId}` : `api-key:${hashToken(credentials.apiKey)}`;
}

const staleBefore = (ctx: AppContext) => new Date(ctx.now().getTime() - STREAM_CAP.staleAfterMs).toISOString();

/** A free place for a new stream of `owner`, or null when all are held. */
export async function takeStreamSlot(ctx: AppContext, owner: string): Promise<StreamSlot | null> {
  const db = ctx.db.kysely;
  await db.deleteFrom('activityStreamSlots').where('seenAt', '<', staleBefore(ctx)).execute();
  const streamId = randomUUID();
  const seenAt = ctx.now().toISOString();
  for (let slot = 1; slot <= STREAM_CAP.perOwner; slot += 1) {
    const taken = await db
      .insertInto('activityStreamSlots')
      .values({ owner, slot, streamId, seenAt })
      .onConflict((oc) => oc.columns(['owner', 'slot']).doNothing())
      .returning('streamId')
      .executeTakeFirst();
    if (taken) return { owner, slot, streamId };
  }
  return null;
}

/** Marks the stream's place seen; false when it lost it (not seen for too long, and taken by another). */
export async function keepStreamSlot(ctx: AppContext, held: StreamSlot): Promise<boolean> {
  const result = await ctx.db.kysely
    .updateTable('activityStreamSlots')
    .set({ seenAt: ctx.now().toISOString() })
    .where('owner', '=', held.owner)
    .where('slot', '=', held.slot)
    .where('streamId', '=', held.streamId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function giveBackStreamSlot(ctx: AppContext, held: StreamSlot): Promise<void> {
  await ctx.db.kysely
    .deleteFrom('activityStreamSlots')
    .where('owner', '=', held.owner)
    .where('slot', '=', held.slot)
    .where('streamId', '=', held.streamId)
    .execute();
}
