import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { redactTokens } from '../../src/modules/mailbox/service.js';
import { type Actor, createOrgAndSignIn, type Harness, signIn, startHarness } from '../support/harness.js';
import { activatedClient, customerWithContacts, enablePortal, tokenFromOutbox } from '../support/portal.js';

interface Message {
  id: string;
  to: string;
  subject: string;
  template: string;
  status: string;
  createdAt: string;
  sentAt: string | null;
  attachments: Array<{ filename: string; contentType: string }>;
}

describe('mailbox: the e-mails Portico sent for the organization', () => {
  let harness: Harness;
  let owner: Actor;
  let other: Actor;
  let staff: Actor;
  let customerId: string;
  let slug: string;

  const list = async (actor: Actor, query = '') => {
    const response = await actor.request({ method: 'GET', url: `/api/v1/mailbox${query}` });
    assert.equal(response.statusCode, 200, response.body);
    return response.json() as { data: Message[]; nextCursor: string | null; transport: string };
  };

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness);
    other = await createOrgAndSignIn(harness);
    slug = await enablePortal(owner);
    const customer = await customerWithContacts(owner, 'Bluebird', ['ann@bluebird.example', 'bo@bluebird.example']);
    customerId = customer.id;
    await activatedClient(
      harness,
      owner,
      slug,
      customerId,
      customer.contacts['ann@bluebird.example'] ?? '',
      'ann@bluebird.example',
    );
    harness.clock.now = new Date(harness.clock.now.getTime() + 60_000);
    const invited = await owner.request({
      method: 'POST',
      url: `/api/v1/customers/${customerId}/contact-persons/${customer.contacts['bo@bluebird.example']}/portal-invitation`,
    });
    assert.equal(invited.statusCode, 200, invited.body);
    harness.clock.now = new Date(harness.clock.now.getTime() + 60_000);
    const invoice = await owner.request({
      method: 'POST',
      url: '/api/v1/invoices',
      payload: { customerId, lines: [{ name: 'Bread', quantity: '1', rate: 5000 }] },
    });
    const sent = await owner.request({ method: 'POST', url: `/api/v1/invoices/${invoice.json().id}/send` });
    assert.equal(sent.statusCode, 200, sent.body);
    const created = await owner.request({
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: 'staff@example.com', name: 'Staff', role: 'staff', password: 'a quiet evening by the harbour' },
    });
    staff = await signIn(harness, 'staff@example.com', 'a quiet evening by the harbour', {
      organizationId: owner.organizationId,
      userId: created.json().id,
    });
  });
  after(() => harness.close());

  test('lists the organization’s e-mails newest first, with their status and attachments’ names', async () => {
    const page = await list(owner);
    assert.equal(page.transport, 'embedded');
    assert.ok(page.data.length >= 2, JSON.stringify(page.data));
    const invitations = page.data.filter((m) => m.template === 'portalInvitation');
    assert.deepEqual(invitations.map((m) => m.to).sort(), ['ann@bluebird.example', 'bo@bluebird.example']);
    const times = page.data.map((m) => m.createdAt);
    assert.deepEqual(times, [...times].sort().reverse());
    assert.equal(page.data[0]?.status, 'pending');
    const withPdf = page.data.find((m) => m.attachments.length > 0);
    if (withPdf) {
      assert.match(withPdf.attachments[0]?.filename ?? '', /\.pdf$/);
      assert.ok(!('contentBase64' in (withPdf.attachments[0] ?? {})));
    }
    assert.ok(!JSON.stringify(page).includes('#token='), 'no bodies in the list');
  });

  test('cursor paging walks every message once', async () => {
    const all = (await list(owner)).data.map((m) => m.id);
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(owner, `?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      walked.push(...page.data.map((m) => m.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(walked, all);
  });

  test('one message: text and HTML bodies, with the invitation token redacted', async () => {
    const invitation = (await list(owner)).data.find(
      (m) => m.to === 'bo@bluebird.example' && m.template === 'portalInvitation',
    );
    assert.ok(invitation);
    const token = await tokenFromOutbox(harness, 'bo@bluebird.example', 'accept-invitation');
    const response = await owner.request({ method: 'GET', url: `/api/v1/mailbox/${invitation.id}` });
    assert.equal(response.statusCode, 200, response.body);
    const message = response.json() as Message & { text: string; html: string };
    assert.ok(!response.body.includes(token), 'the token is not in the API answer');
    assert.match(message.text, /accept-invitation#token=redacted/);
    assert.match(message.html, /accept-invitation#token=redacted/);
    assert.match(message.html, /<html|<table|<p/i);

    // The HTML as a page for the back office's sandboxed frame: its own policy lets inline styles apply, runs and
    // loads nothing else, and only this app may frame it.
    const page = await owner.request({ method: 'GET', url: `/api/v1/mailbox/${invitation.id}/html` });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    const policy = String(page.headers['content-security-policy']);
    for (const part of ["default-src 'none'", "style-src 'unsafe-inline'", "frame-ancestors 'self'", 'sandbox']) {
      assert.ok(policy.includes(part), `${part} in ${policy}`);
    }
    assert.ok(!policy.includes('script-src'), 'no script may run');
    assert.equal(page.body, message.html);
    assert.ok(!page.body.includes(token));
  });

  test('owners and admins only; other organizations see nothing of it', async () => {
    const first = (await list(owner)).data[0];
    assert.ok(first);
    assert.equal((await staff.request({ method: 'GET', url: '/api/v1/mailbox' })).statusCode, 403);
    assert.equal((await staff.request({ method: 'GET', url: `/api/v1/mailbox/${first.id}` })).statusCode, 403);
    assert.deepEqual((await list(other)).data, []);
    assert.equal((await other.request({ method: 'GET', url: `/api/v1/mailbox/${first.id}` })).statusCode, 404);
  });

  test('redaction covers fragment and query tokens, HTML-escaped ones included', () => {
    assert.equal(
      redactTokens('https://x/p/reset-password#token=abc_DEF-123'),
      'https://x/p/reset-password#token=redacted',
    );
    assert.equal(redactTokens('href="https://x/?a=1&amp;token=abc"'), 'href="https://x/?a=1&amp;token=redacted"');
    assert.equal(redactTokens('no links here'), 'no links here');
  });
});
