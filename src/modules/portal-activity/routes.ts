import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { tryAgainLater } from '../../domain/errors.js';
import { type Cursor, decodeCursor } from '../../http/pagination.js';
import { PortalActivityPage, PortalActivityQuery } from './schemas.js';
import { callerStillValid, cursorOf, listPortalActivity, portalActivity, type StreamCredentials } from './service.js';
import { giveBackStreamSlot, keepStreamSlot, STREAM_CAP, streamOwnerOf, takeStreamSlot } from './stream-slots.js';

const tags = ['portal activity'];

/**
 * Timing of the live stream. Mutable so tests can poll faster; production keeps the defaults.
 * - pollMs: how often the database is asked for new items (every instance asks it, so no message bus is needed).
 * - heartbeatMs: a comment line that keeps proxies from closing an idle connection.
 * - lookbackMs: how far before the newest item sent each poll looks again, so an entry whose transaction
 *   committed a little after a later one's is still sent (ids already sent are skipped).
 */
export const STREAM_TIMING = { pollMs: 2_000, heartbeatMs: 15_000, lookbackMs: 10_000 };

const POLL_BATCH = 200;

/** The credentials the stream was opened with, so each poll can check they still hold. */
const credentialsOf = (request: FastifyRequest): StreamCredentials => ({
  apiKey: /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '',
  sessionId: request.sessionId,
});

const shift = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/** The back office's Home: what clients did in the portal, as a page and as a live stream. */
export const portalActivityRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    /** Streams open on this instance, so that closing the server ends them instead of waiting for them. */
    const open = new Set<() => void>();
    app.addHook('preClose', async () => {
      for (const end of [...open]) end();
    });

    app.get(
      '/portal-activity',
      {
        schema: {
          tags,
          summary: 'Portal activity: what contact persons did in the portal, newest first',
          description:
            'Viewed, accepted, declined, commented, forwarded and paid (from document history), details changed and reviews (from the audit log).',
          querystring: PortalActivityQuery,
          response: { 200: PortalActivityPage },
        },
      },
      async (request) => listPortalActivity(ctx, orgScopeOf(request), request.query),
    );

    app.get(
      '/portal-activity/stream',
      {
        schema: {
          tags,
          summary: 'Portal activity as server-sent events, while the connection is open',
          description:
            'Each new item is an `activity` event whose data is one item of GET /portal-activity and whose id is a cursor: a reconnecting EventSource sends it back as Last-Event-ID and gets what it missed. A comment line every 15 s keeps the connection alive; the stream ends (event `end`) when the session ends — signed out, idle (the stream is not activity) or past its lifetime. At most 5 streams per session or API key at once: one more answers 429 with Retry-After.',
          response: {
            200: {
              description: 'text/event-stream',
              content: { 'text/event-stream': { schema: Type.String() } },
            },
          },
        },
      },
      async (request, reply) => {
        const scope = orgScopeOf(request);
        const credentials = credentialsOf(request);
        const lastEventId = request.headers['last-event-id'];
        let resumeFrom: Cursor | null = null;
        if (typeof lastEventId === 'string' && lastEventId !== '') {
          try {
            resumeFrom = decodeCursor(lastEventId);
          } catch {
            resumeFrom = null;
          }
        }

        // Where the stream starts: after the item the client last saw, or after the newest item now.
        const sent = new Map<string, string>();
        let watermark: string;
        if (resumeFrom) {
          watermark = resumeFrom.key;
        } else {
          const [newest] = await portalActivity(ctx, scope, { order: 'desc', limit: 1 });
          watermark = newest?.at ?? ctx.now().toISOString();
        }
        const cutoff = resumeFrom;
        const primed = await portalActivity(ctx, scope, {
          order: 'asc',
          limit: 1000,
          since: shift(watermark, -STREAM_TIMING.lookbackMs),
        });
        for (const item of primed) {
          const seen = cutoff === null || item.at < cutoff.key || (item.at === cutoff.key && item.id <= cutoff.id);
          if (seen) sent.set(item.id, item.at);
        }

        // A place among the session's (or API key's) few streams, or 429: close another tab first.
        const slot = await takeStreamSlot(ctx, streamOwnerOf(credentials));
        if (!slot) {
          throw tryAgainLater(
            'rate_limited',
            `At most ${STREAM_CAP.perOwner} live activity streams can be open per session at once: close one first.`,
            STREAM_CAP.staleAfterMs,
          );
        }

        // From here on the response is ours: Fastify's serialization and onSend hooks no longer run. Helmet's
        // headers are already on the raw response (set in onRequest); no compression plugin is registered, and
        // `no-transform` tells proxies not to buffer or compress the stream either.
        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        raw.write('retry: 3000\n\n');

        let closed = false;
        let pollTimer: NodeJS.Timeout | undefined;
        const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), STREAM_TIMING.heartbeatMs);
        const end = () => {
          if (closed) return;
          closed = true;
          clearTimeout(pollTimer);
          clearInterval(heartbeat);
          open.delete(end);
          if (!raw.writableEnded) raw.end();
          giveBackStreamSlot(ctx, slot).catch((error) =>
            request.log.warn({ err: error }, 'portal activity stream: its place was not given back'),
          );
        };
        open.add(end);
        raw.on('close', end);
        request.raw.on('close', end);

        const poll = async () => {
          if (!(await callerStillValid(ctx, scope, credentials)) || !(await keepStreamSlot(ctx, slot))) {
            raw.write('event: end\ndata: {}\n\n');
            end();
            return;
          }
          let after: Cursor | null = null;
          for (let batch = 0; batch < 5 && !closed; batch++) {
            const items = await portalActivity(ctx, scope, {
              order: 'asc',
              limit: POLL_BATCH,
              since: shift(watermark, -STREAM_TIMING.lookbackMs),
              cursor: after,
            });
            for (const item of items) {
              if (sent.has(item.id)) continue;
              sent.set(item.id, item.at);
              raw.write(`id: ${cursorOf(item)}\nevent: activity\ndata: ${JSON.stringify(item)}\n\n`);
              if (item.at > watermark) watermark = item.at;
            }
            const last = items.at(-1);
            if (items.length < POLL_BATCH || !last) break;
            after = { key: last.at, id: last.id };
          }
          const forget = shift(watermark, -STREAM_TIMING.lookbackMs);
          for (const [id, at] of sent) if (at < forget) sent.delete(id);
        };
        const schedule = (delay: number) => {
          if (closed) return;
          pollTimer = setTimeout(async () => {
            try {
              await poll();
            } catch (error) {
              request.log.warn({ err: error }, 'portal activity stream: poll failed');
            }
            schedule(STREAM_TIMING.pollMs);
          }, delay);
        };
        // A client resuming after a gap gets what it missed at once; a new one waits for the first poll.
        schedule(resumeFrom ? 0 : STREAM_TIMING.pollMs);
        return reply;
      },
    );
  };
