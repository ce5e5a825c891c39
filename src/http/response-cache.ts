import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { ReusableReads } from '../db/reusable-reads.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Serialized answers: 10,000 answers and 64 MB of text at most, none over 256 KB. What the passing of time changes
 * is named by the key (the portal's answers change with the organization's date: `portalAnswer`); the minute's
 * bound on top lets answers nobody asks for again go, and bounds the effect of a time dependence the key missed.
 */
const answers = new ReusableReads<string>({
  maxEntries: 10_000,
  maxAgeMs: 60_000,
  sizeOf: (body) => body.length,
  maxTotalSize: 64 * 1024 * 1024,
  maxEntrySize: 256 * 1024,
});

const tokens = new WeakMap<FastifyRequest, string | null>();

/**
 * The database's change token as the request first read it. Reading it costs a system call or two on SQLite, so
 * one request reads it once: what it reuses is then what it would have read at that moment, before any of its
 * own reads ran — as if it had been answered a few microseconds earlier.
 */
export function changeTokenOf(ctx: AppContext, request: FastifyRequest): string | null {
  let token = tokens.get(request);
  if (token === undefined) {
    token = ctx.db.changeToken();
    tokens.set(request, token);
  }
  return token;
}

/**
 * A read-only JSON answer, reused while it cannot have changed (see `ReusableReads`): the key names everything
 * the answer depends on besides the data (who asks, and the path and query asked), and `version` stands for the
 * data: a value read from the database in this request, before the answer's reads, that every change to what the
 * answer shows moves in the same transaction (for the portal, the customer's and organization's portal versions).
 * Access is checked before, on every request: only the answer is reused.
 */
export async function reusableAnswer<T>(
  ctx: AppContext,
  reply: FastifyReply,
  answer: { key: string; version: string },
  compute: () => Promise<T>,
): Promise<T> {
  const serialize = async () => reply.serialize(await compute()) as string;
  const body = await answers.read(ctx.db, answer.key, ctx.now().getTime(), serialize, answer.version);
  // Serialized already by the route's response schema; with a JSON content type Fastify sends a string as it is.
  reply.type(JSON_TYPE);
  return body as unknown as T;
}
