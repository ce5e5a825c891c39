import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STREAM_TIMING } from '../../src/modules/portal-activity/routes.js';
import {
  type Actor,
  createOrgAndSignIn,
  type Harness,
  OWNER_PASSWORD,
  signIn,
  startHarness,
} from '../support/harness.js';
import { activatedClient, customerWithContacts, enablePortal, type PortalClient } from '../support/portal.js';

interface Item {
  id: string;
  event: string;
  at: string;
  contactPerson: { id: string; name: string } | null;
  customer: { id: string; name: string } | null;
  document: { kind: string; id: string; number: string | null } | null;
  rating: number | null;
}

/** Reads a server-sent event stream as it arrives, and waits for the events the test expects. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const events: Array<{ event: string; id: string | null; data: string }> = [];
  const comments: string[] = [];
  let ended = false;
  const pump = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let index = buffer.indexOf('\n\n');
      while (index !== -1) {
        const block = buffer.slice(0, index);
        buffer = buffer.slice(index + 2);
        const fields = { event: 'message', id: null as string | null, data: '' };
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) comments.push(line.slice(1).trim());
          else if (line.startsWith('event: ')) fields.event = line.slice(7);
          else if (line.startsWith('id: ')) fields.id = line.slice(4);
          else if (line.startsWith('data: ')) fields.data += line.slice(6);
        }
        if (fields.data !== '' || fields.event !== 'message') events.push(fields);
        index = buffer.indexOf('\n\n');
      }
    }
    ended = true;
  })().catch(() => {
    ended = true;
  });
  const until = async (check: () => boolean, what: string, ms = 5_000) => {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return {
    events,
    comments,
    get ended() {
      return ended;
    },
    until,
    activities: () => events.filter((e) => e.event === 'activity').map((e) => JSON.parse(e.data) as Item),
    cancel: async () => {
      await reader.cancel().catch(() => {});
      await pump;
    },
  };
}

describe('portal activity: the feed of what clients did, and its live stream', () => {
  let harness: Harness;
  let owner: Actor;
  let other: Actor;
  let staff: Actor;
  let slug: string;
  let ann: PortalClient;
  let annId: string;
  let customerId: string;
  let invoiceId: string;
  let invoiceNumber: string;
  let estimateId: string;
  let baseUrl: string;

  const tick = () => {
    harness.clock.now = new Date(harness.clock.now.getTime() + 60_000);
  };
  const feed = async (actor: Actor, query = '') => {
    const response = await actor.request({ method: 'GET', url: `/api/v1/portal-activity${query}` });
    assert.equal(response.statusCode, 200, response.body);
    return response.json() as { data: Item[]; nextCursor: string | null };
  };
  /** A real sign-in over HTTP: the cookie a browser would hold. */
  const sessionCookie = async (email: string, password: string) => {
    const response = await fetch(`${baseUrl}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    assert.equal(response.status, 200);
    const [cookie] = response.headers.getSetCookie();
    return {
      cookie: cookie?.split(';')[0] ?? '',
      csrfToken: ((await response.json()) as { csrfToken: string }).csrfToken,
    };
  };

  before(async () => {
    STREAM_TIMING.pollMs = 100;
    STREAM_TIMING.heartbeatMs = 300;
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness, { name: 'Brightside Studio', ownerEmail: 'owner@brightside.example' });
    other = await createOrgAndSignIn(harness);
    slug = await enablePortal(owner, { reviews: true, allowEditingDetails: true });
    const customer = await customerWithContacts(owner, 'Bluebird Bakery', ['ann@bluebird.example']);
    customerId = customer.id;
    annId = customer.contacts['ann@bluebird.example'] ?? '';
    ann = await activatedClient(harness, owner, slug, customerId, annId, 'ann@bluebird.example');
    const post = async (url: string, payload: object = {}) => {
      const response = await owner.request({ method: 'POST', url, payload });
      assert.ok(response.statusCode < 300, `${url}: ${response.body}`);
      return response.json();
    };
    const invoice = await post('/api/v1/invoices', {
      customerId,
      lines: [{ name: 'Bread', quantity: '1', rate: 5000 }],
    });
    invoiceId = invoice.id;
    invoiceNumber = invoice.number;
    await post(`/api/v1/invoices/${invoiceId}/send`);
    estimateId = (await post('/api/v1/estimates', { customerId, lines: [{ name: 'Cake', quantity: '1', rate: 900 }] }))
      .id;
    await post(`/api/v1/estimates/${estimateId}/send`);
    const created = await post('/api/v1/users', {
      email: 'staff@brightside.example',
      name: 'Staff',
      role: 'staff',
      password: 'a quiet evening by the harbour',
    });
    staff = await signIn(harness, 'staff@brightside.example', 'a quiet evening by the harbour', {
      organizationId: owner.organizationId,
      userId: created.id,
    });
    // Ann's portal visit, a minute apart each.
    const act = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) => {
      tick();
      const response = await ann.request({ method, url, ...(payload ? { payload } : {}) });
      assert.ok(response.statusCode < 300, `${url}: ${response.body}`);
    };
    await act('GET', `/invoices/${invoiceId}`);
    await act('POST', `/invoices/${invoiceId}/comments`, { text: 'Can I pay next week?' });
    await act('GET', `/estimates/${estimateId}`);
    await act('POST', `/estimates/${estimateId}/accept`, { signatureName: 'Ann' });
    await act('PUT', '/review', { rating: 5, comment: 'Lovely' });
    await act('PATCH', '/account', { contactPerson: { phone: '+1 555 0100' } });
    // The business's own actions are not portal activity.
    tick();
    await post(`/api/v1/invoices/${invoiceId}/comments`, { text: 'Internal note' });

    const address = await harness.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = address;
  });
  after(() => harness.close());

  test('newest first: who, what and when of every portal action', async () => {
    const page = await feed(owner);
    assert.deepEqual(
      page.data.map((item) => item.event),
      ['details_changed', 'reviewed', 'accepted', 'viewed', 'commented', 'viewed'],
    );
    assert.equal(page.nextCursor, null);
    const [details, review, accepted, , commented, viewed] = page.data;
    assert.deepEqual(viewed?.document, { kind: 'invoice', id: invoiceId, number: invoiceNumber });
    assert.deepEqual(viewed?.customer, { id: customerId, name: 'Bluebird Bakery' });
    assert.deepEqual(viewed?.contactPerson, { id: annId, name: 'Person 1' });
    assert.equal(commented?.document?.id, invoiceId);
    assert.equal(accepted?.document?.kind, 'estimate');
    assert.equal(review?.rating, 5);
    assert.equal(review?.document, null);
    assert.equal(details?.customer?.id, customerId);
    const times = page.data.map((item) => item.at);
    assert.deepEqual(times, [...times].sort().reverse());
  });

  test('cursor paging walks the whole feed once, across both sources', async () => {
    const all = (await feed(owner)).data.map((item) => item.id);
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await feed(owner, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      assert.ok(page.data.length <= 2);
      walked.push(...page.data.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(walked, all);
  });

  test('each organization sees its own activity only; staff may read it', async () => {
    assert.deepEqual((await feed(other)).data, []);
    assert.equal((await feed(staff)).data.length, 6);
    const bad = await owner.request({ method: 'GET', url: '/api/v1/portal-activity?cursor=nonsense' });
    assert.equal(bad.statusCode, 400);
  });

  test('the stream over real HTTP: event-stream headers with the security headers, heartbeats, new items live', async () => {
    const { cookie } = await sessionCookie('owner@brightside.example', OWNER_PASSWORD);
    const controller = new AbortController();
    const response = await fetch(`${baseUrl}/api/v1/portal-activity/stream`, {
      headers: { cookie, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.match(response.headers.get('cache-control') ?? '', /no-transform/);
    assert.equal(response.headers.get('content-encoding'), null);
    // Helmet's headers are set before the route takes the raw response over.
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.ok(response.body);
    const stream = sseReader(response.body);
    await stream.until(() => stream.comments.includes('heartbeat'), 'a heartbeat');
    // Nothing old is replayed: the stream starts after the newest item.
    assert.deepEqual(stream.activities(), []);

    tick();
    const commented = await ann.request({
      method: 'POST',
      url: `/invoices/${invoiceId}/comments`,
      payload: { text: 'Paid by transfer' },
    });
    assert.equal(commented.statusCode, 201, commented.body);
    await stream.until(() => stream.activities().length === 1, 'the comment');
    const [item] = stream.activities();
    assert.equal(item?.event, 'commented');
    assert.equal(item?.document?.number, invoiceNumber);
    assert.equal(item?.contactPerson?.id, annId);
    // Sent once, however many polls see it.
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(stream.activities().length, 1);

    // Another organization's activity never reaches this stream.
    const otherSlug = await enablePortal(other);
    const otherCustomer = await customerWithContacts(other, 'Elsewhere', ['eve@elsewhere.example']);
    const eve = await activatedClient(
      harness,
      other,
      otherSlug,
      otherCustomer.id,
      otherCustomer.contacts['eve@elsewhere.example'] ?? '',
      'eve@elsewhere.example',
    );
    const otherInvoice = (
      await other.request({
        method: 'POST',
        url: '/api/v1/invoices',
        payload: { customerId: otherCustomer.id, lines: [{ name: 'X', quantity: '1', rate: 100 }] },
      })
    ).json().id;
    await other.request({ method: 'POST', url: `/api/v1/invoices/${otherInvoice}/send` });
    tick();
    await eve.request({ method: 'GET', url: `/invoices/${otherInvoice}` });
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(stream.activities().length, 1);

    controller.abort();
    await stream.cancel();
  });

  test('Last-Event-ID resumes after the item the client saw last', async () => {
    const { cookie } = await sessionCookie('owner@brightside.example', OWNER_PASSWORD);
    const newest = (await feed(owner)).data[0];
    // The first page of two ends at the second-newest item: its cursor is what that client last saw.
    const cursorOfSecond = (await feed(owner, '?limit=2')).nextCursor;
    assert.ok(newest && cursorOfSecond);
    const controller = new AbortController();
    const response = await fetch(`${baseUrl}/api/v1/portal-activity/stream`, {
      headers: { cookie, 'last-event-id': cursorOfSecond },
      signal: controller.signal,
    });
    assert.ok(response.body);
    const stream = sseReader(response.body);
    await stream.until(() => stream.activities().length >= 1, 'the missed item');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(
      stream.activities().map((item) => item.id),
      [newest.id],
    );
    controller.abort();
    await stream.cancel();
  });

  test('the stream ends when the session ends, and refuses callers without one', async () => {
    const anonymous = await fetch(`${baseUrl}/api/v1/portal-activity/stream`);
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('content-type') ?? '', /problem\+json/);

    const { cookie, csrfToken } = await sessionCookie('owner@brightside.example', OWNER_PASSWORD);
    const response = await fetch(`${baseUrl}/api/v1/portal-activity/stream`, { headers: { cookie } });
    assert.ok(response.body);
    const stream = sseReader(response.body);
    await stream.until(() => stream.comments.includes('heartbeat'), 'a heartbeat');
    const signOut = await fetch(`${baseUrl}/api/v1/session`, {
      method: 'DELETE',
      headers: { cookie, 'x-csrf-token': csrfToken, origin: baseUrl },
    });
    assert.equal(signOut.status, 204);
    await stream.until(() => stream.ended, 'the end of the stream');
    assert.ok(stream.events.some((e) => e.event === 'end'));
  });

  test('a stream opened with an API key ends when the key is revoked', async () => {
    const created = await owner.request({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'Dashboard' } });
    assert.equal(created.statusCode, 201, created.body);
    const { id, key } = created.json() as { id: string; key: string };
    const response = await fetch(`${baseUrl}/api/v1/portal-activity/stream`, {
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(response.status, 200);
    assert.ok(response.body);
    const stream = sseReader(response.body);
    await stream.until(() => stream.comments.includes('heartbeat'), 'a heartbeat');
    const revoked = await owner.request({ method: 'DELETE', url: `/api/v1/api-keys/${id}` });
    assert.equal(revoked.statusCode, 204);
    await stream.until(() => stream.ended, 'the end of the stream');
    assert.ok(stream.events.some((e) => e.event === 'end'));
  });

  test('an open stream does not keep the server from closing', async () => {
    const { cookie } = await sessionCookie('owner@brightside.example', OWNER_PASSWORD);
    const response = await fetch(`${baseUrl}/api/v1/portal-activity/stream`, { headers: { cookie } });
    assert.ok(response.body);
    const stream = sseReader(response.body);
    await stream.until(() => stream.comments.includes('heartbeat'), 'a heartbeat');
    // after() closes the app: the stream must end rather than hold app.close() open.
    const closed = harness.app.close();
    await stream.until(() => stream.ended, 'the end of the stream on close');
    await closed;
  });
});
