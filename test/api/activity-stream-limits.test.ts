import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STREAM_TIMING } from '../../src/modules/portal-activity/routes.js';
import { STREAM_CAP } from '../../src/modules/portal-activity/stream-slots.js';
import {
  type Actor,
  createOrgAndSignIn,
  type Harness,
  OWNER_PASSWORD,
  signIn as signInActor,
  startHarness,
} from '../support/harness.js';

/**
 * The live activity stream (GET /api/v1/portal-activity/stream) ends with its session — idle or past its lifetime,
 * the stream itself being no activity — and a session holds at most STREAM_CAP.perOwner streams at once, however
 * many are opened together (docs/limits.md).
 */
describe('live activity stream: closes with the idle session, capped per session', () => {
  let harness: Harness;
  let baseUrl: string;
  let owner: Actor;
  const ownerEmail = 'owner@streams.example';

  before(async () => {
    STREAM_TIMING.pollMs = 50;
    STREAM_TIMING.heartbeatMs = 200;
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness, { name: 'Streams Studio', ownerEmail });
    baseUrl = await harness.app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(() => harness.close());

  /** A real sign-in over HTTP: the cookie a browser would hold. */
  const signIn = async () => {
    const response = await fetch(`${baseUrl}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ownerEmail, password: OWNER_PASSWORD }),
    });
    assert.equal(response.status, 200);
    await response.body?.cancel();
    return response.headers.getSetCookie()[0]?.split(';')[0] ?? '';
  };
  const open = (cookie: string) => fetch(`${baseUrl}/api/v1/portal-activity/stream`, { headers: { cookie } });

  /** Reads a stream until it ends; `text` is everything received so far. */
  function reader(response: Response) {
    assert.equal(response.status, 200);
    assert.ok(response.body);
    const body = response.body.getReader();
    const decoder = new TextDecoder();
    const state = { text: '', ended: false };
    const pump = (async () => {
      for (;;) {
        const { value, done } = await body.read();
        if (done) break;
        state.text += decoder.decode(value, { stream: true });
      }
    })()
      .catch(() => {})
      .finally(() => {
        state.ended = true;
      });
    const until = async (check: () => boolean, what: string) => {
      const deadline = Date.now() + 5_000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    return {
      state,
      until,
      cancel: async () => {
        await body.cancel().catch(() => {});
        await pump;
      },
    };
  }
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const slotsHeld = async () =>
    (await harness.ctx.db.kysely.selectFrom('activityStreamSlots').select('slot').execute()).length;
  const moveClock = (ms: number) => {
    harness.clock.now = new Date(harness.clock.now.getTime() + ms);
  };

  test('an idle session’s stream ends at the idle timeout, and gives its place back', async () => {
    const cookie = await signIn();
    const stream = reader(await open(cookie));
    await stream.until(() => stream.state.text.includes(': heartbeat'), 'a heartbeat');
    // Just short of the idle limit the stream stays open: it is the session's age that counts, not the stream's.
    const idleMs = harness.ctx.config.sessionIdleMinutes * 60_000;
    moveClock(idleMs - 5_000);
    await pause(300);
    assert.equal(stream.state.ended, false);
    moveClock(5_000);
    await stream.until(() => stream.state.ended, 'the end of the stream');
    assert.match(stream.state.text, /event: end/);
    await pause(100);
    assert.equal(await slotsHeld(), 0);
    // The session itself is over too.
    const session = await fetch(`${baseUrl}/api/v1/session`, { headers: { cookie } });
    assert.equal(session.status, 401);
  });

  test('a session kept busy still ends its stream at its absolute lifetime', async () => {
    const cookie = await signIn();
    const signedInAt = harness.clock.now.getTime();
    const lifetimeMs = harness.ctx.config.sessionAbsoluteHours * 3_600_000;
    const stream = reader(await open(cookie));
    await stream.until(() => stream.state.text.includes(': heartbeat'), 'a heartbeat');
    // A request every 20 minutes keeps the session from going idle, up to a minute before its lifetime ends.
    while (harness.clock.now.getTime() + 20 * 60_000 < signedInAt + lifetimeMs - 60_000) {
      moveClock(20 * 60_000);
      const busy = await fetch(`${baseUrl}/api/v1/session`, { headers: { cookie } });
      assert.equal(busy.status, 200);
      await busy.body?.cancel();
    }
    await pause(200);
    assert.equal(stream.state.ended, false);
    harness.clock.now = new Date(signedInAt + lifetimeMs);
    await stream.until(() => stream.state.ended, 'the end of the stream');
    assert.match(stream.state.text, /event: end/);
  });

  test(`at most ${STREAM_CAP.perOwner} streams per session, opened all at once; another session has its own`, async () => {
    const cookie = await signIn();
    const extra = 3;
    const responses = await Promise.all(Array.from({ length: STREAM_CAP.perOwner + extra }, () => open(cookie)));
    const opened = responses.filter((r) => r.status === 200);
    const refused = responses.filter((r) => r.status !== 200);
    assert.equal(opened.length, STREAM_CAP.perOwner, responses.map((r) => r.status).join(','));
    for (const response of refused) {
      assert.equal(response.status, 429);
      assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.equal(((await response.json()) as { code: string }).code, 'rate_limited');
      assert.equal(response.headers.get('retry-after'), String(STREAM_CAP.staleAfterMs / 1000));
    }
    const streams = opened.map(reader);
    await Promise.all(streams.map((s) => s.until(() => s.state.text.includes(': heartbeat'), 'a heartbeat')));
    assert.equal(await slotsHeld(), STREAM_CAP.perOwner);

    // The same person signed in elsewhere (another session) is not affected.
    const elsewhere = reader(await open(await signIn()));
    await elsewhere.until(() => elsewhere.state.text.includes(': heartbeat'), 'a heartbeat elsewhere');

    // Closing one frees its place for the next.
    await streams[0]?.cancel();
    await (async () => {
      const deadline = Date.now() + 5_000;
      while ((await slotsHeld()) > STREAM_CAP.perOwner) {
        if (Date.now() > deadline) throw new Error('the closed stream kept its place');
        await pause(20);
      }
    })();
    const next = reader(await open(cookie));
    await next.until(() => next.state.text.includes(': heartbeat'), 'a heartbeat on the new stream');
    assert.equal((await open(cookie)).status, 429);

    for (const stream of [...streams.slice(1), elsewhere, next]) await stream.cancel();
  });

  test('an API key has the same cap', async () => {
    // The earlier tests moved the clock past the first session's lifetime.
    const signedIn = await signInActor(harness, ownerEmail, OWNER_PASSWORD, owner);
    const created = await signedIn.request({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'Wallboard' } });
    assert.equal(created.statusCode, 201, created.body);
    const { key } = created.json() as { key: string };
    const responses = await Promise.all(
      Array.from({ length: STREAM_CAP.perOwner + 2 }, () =>
        fetch(`${baseUrl}/api/v1/portal-activity/stream`, { headers: { authorization: `Bearer ${key}` } }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    assert.deepEqual(statuses, [...Array(STREAM_CAP.perOwner).fill(200), 429, 429]);
    for (const response of responses) {
      if (response.status === 200) await reader(response).cancel();
      else await response.body?.cancel();
    }
  });
});
