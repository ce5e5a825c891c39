import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createMailer } from '../../src/notify/mailer.js';
import { deliverDueMessages } from '../../src/notify/worker.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import {
  activatedClient,
  CLIENT_PASSWORD,
  customerWithContacts,
  enablePortal,
  portalClient,
  tokenFromOutbox,
} from '../support/portal.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

const inviteUrl = (customerId: string, contactPersonId: string) =>
  `/api/v1/customers/${customerId}/contact-persons/${contactPersonId}/portal-invitation`;
const disableUrl = (customerId: string, contactPersonId: string) =>
  `/api/v1/customers/${customerId}/contact-persons/${contactPersonId}/portal-disable`;

describe('portal access: settings, invitations, passwords, sessions', () => {
  let harness: Harness;
  let owner: Actor;
  let otherOwner: Actor;
  let slug: string;
  let otherSlug: string;
  let smtp: TestSmtpServer;

  before(async () => {
    harness = await startHarness();
    smtp = await startSmtpServer();
    owner = await createOrgAndSignIn(harness, { name: 'Northwind Studio' });
    otherOwner = await createOrgAndSignIn(harness, { name: 'Other Company' });
    slug = await enablePortal(owner);
    otherSlug = await enablePortal(otherOwner);
  });
  after(async () => {
    await harness.close();
    await smtp.close();
  });

  test('the whole journey through real SMTP: invite → e-mail → password → sign in → portal call → sign out', async () => {
    const { id, contacts } = await customerWithContacts(owner, 'Journey Ltd', ['journey@client.example']);
    const contactId = contacts['journey@client.example'] ?? '';
    const invited = await owner.request({
      method: 'POST',
      url: inviteUrl(id, contactId),
      headers: { host: 'evil.example' },
    });
    assert.equal(invited.statusCode, 200, invited.body);
    assert.equal(invited.json().portalStatus, 'invited');

    const mailer = createMailer({ ...harness.ctx.config, smtpUrl: smtp.url });
    try {
      await deliverDueMessages(harness.ctx, mailer);
    } finally {
      await mailer.close();
    }
    await smtp.waitFor((messages) => messages.some((m) => m.envelope.to.includes('journey@client.example')));
    const mail = smtp.messages.find((m) => m.envelope.to.includes('journey@client.example'));
    assert.ok(mail);
    assert.match(mail.parsed.subject ?? '', /Northwind Studio/);
    const text = mail.parsed.text ?? '';
    assert.ok(text.includes(`http://portico.test/portal/${slug}/`), 'the portal URL');
    assert.ok(text.includes('journey@client.example'), 'the username');
    assert.ok(!text.includes('evil.example'), 'links never come from the Host header');
    const token = /accept-invitation#token=([A-Za-z0-9_-]+)/.exec(text)?.[1];
    assert.ok(token && token.length >= 43, 'a token of at least 256 bits');

    const client = portalClient(harness, slug);
    // The page asks first whether the link is good: it is, and asking does not use it.
    const check = (purpose: string) =>
      portalClient(harness, slug).request({ method: 'POST', url: '/links/check', payload: { token, purpose } });
    assert.equal((await check('invitation')).statusCode, 204);
    assert.equal((await check('invitation')).statusCode, 204);
    assert.equal((await check('password_reset')).statusCode, 400, 'an invitation is not a reset link');
    const weak = await client.request({
      method: 'POST',
      url: '/invitations/accept',
      payload: { token, password: 'short' },
    });
    assert.equal(weak.statusCode, 400);
    const accepted = await client.request({
      method: 'POST',
      url: '/invitations/accept',
      payload: { token, password: CLIENT_PASSWORD },
    });
    assert.equal(accepted.statusCode, 200, accepted.body);
    client.keepSessionFrom(accepted);
    assert.equal(accepted.json().contactPerson.email, 'journey@client.example');
    assert.equal(accepted.json().customer.name, 'Journey Ltd');

    const reused = await portalClient(harness, slug).request({
      method: 'POST',
      url: '/invitations/accept',
      payload: { token, password: CLIENT_PASSWORD },
    });
    assert.equal(reused.statusCode, 400, 'the link works once');
    // Opened again, the page says so before asking for a password.
    const spent = await check('invitation');
    assert.equal(spent.statusCode, 400);
    assert.equal(spent.json().errors[0].path, '/token');

    const signedIn = portalClient(harness, slug);
    const login = await signedIn.request({
      method: 'POST',
      url: '/session',
      payload: { email: 'Journey@Client.example', password: CLIENT_PASSWORD },
    });
    assert.equal(login.statusCode, 200, login.body);
    signedIn.keepSessionFrom(login);
    const me = await signedIn.request({ method: 'GET', url: '/session' });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().organization.name, 'Northwind Studio');
    const out = await signedIn.request({ method: 'DELETE', url: '/session' });
    assert.equal(out.statusCode, 204);
    assert.equal(
      (await signedIn.request({ method: 'GET', url: '/session' })).statusCode,
      401,
      'the old cookie is refused',
    );

    const customer = (await owner.request({ method: 'GET', url: `/api/v1/customers/${id}` })).json();
    assert.equal(customer.contactPersons[0].portalStatus, 'active');
  });

  test('portal settings: defaults, validation, renaming moves the URL, owners and admins only', async () => {
    const settings = (await owner.request({ method: 'GET', url: '/api/v1/portal-settings' })).json();
    assert.equal(settings.enabled, true);
    assert.equal(settings.passwordMinLength, 15);
    assert.equal(settings.portalUrl, `http://portico.test/portal/${slug}/`);
    for (const payload of [{ passwordMinLength: 11 }, { portalName: 'Bad Name' }, { enabled: 'yes' }, { unknown: 1 }]) {
      const response = await owner.request({ method: 'PATCH', url: '/api/v1/portal-settings', payload });
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
    }
    const taken = await owner.request({
      method: 'PATCH',
      url: '/api/v1/portal-settings',
      payload: { portalName: otherSlug },
    });
    assert.equal(taken.statusCode, 409);

    const renamed = await owner.request({
      method: 'PATCH',
      url: '/api/v1/portal-settings',
      payload: { portalName: `${slug}-new`, banner: 'Closed on Friday' },
    });
    assert.equal(renamed.statusCode, 200);
    const oldUrl = await portalClient(harness, slug).request({
      method: 'POST',
      url: '/session',
      payload: { email: 'x@example.com', password: 'whatever password' },
    });
    assert.equal(oldUrl.statusCode, 404, 'the old portal name stops working');
    await owner.request({ method: 'PATCH', url: '/api/v1/portal-settings', payload: { portalName: slug } });
  });

  test('invitations need the portal on, an e-mail, and one customer per person', async () => {
    const off = await createOrgAndSignIn(harness);
    const offCustomer = await customerWithContacts(off, 'Off', ['off@client.example']);
    const refused = await off.request({
      method: 'POST',
      url: inviteUrl(offCustomer.id, offCustomer.contacts['off@client.example'] ?? ''),
    });
    assert.equal(refused.statusCode, 409);

    const noEmail = (
      await owner.request({
        method: 'POST',
        url: '/api/v1/customers',
        payload: { displayName: 'No mail', contactPersons: [{ firstName: 'Nm' }] },
      })
    ).json();
    const missing = await owner.request({ method: 'POST', url: inviteUrl(noEmail.id, noEmail.contactPersons[0].id) });
    assert.equal(missing.statusCode, 400);

    const first = await customerWithContacts(owner, 'First', ['shared@client.example']);
    const second = await customerWithContacts(owner, 'Second', ['shared@client.example']);
    assert.equal(
      (await owner.request({ method: 'POST', url: inviteUrl(first.id, first.contacts['shared@client.example'] ?? '') }))
        .statusCode,
      200,
    );
    const twice = await owner.request({
      method: 'POST',
      url: inviteUrl(second.id, second.contacts['shared@client.example'] ?? ''),
    });
    assert.equal(twice.statusCode, 409);

    const foreign = await otherOwner.request({
      method: 'POST',
      url: inviteUrl(first.id, first.contacts['shared@client.example'] ?? ''),
    });
    assert.equal(foreign.statusCode, 404);
  });

  test('a re-invitation voids the old link; links expire after 7 days', async () => {
    const { id, contacts } = await customerWithContacts(owner, 'Reinvite', ['re@client.example']);
    const contactId = contacts['re@client.example'] ?? '';
    await owner.request({ method: 'POST', url: inviteUrl(id, contactId) });
    const oldToken = await tokenFromOutbox(harness, 're@client.example', 'accept-invitation');
    harness.clock.now = new Date(harness.clock.now.getTime() + 1000);
    await owner.request({ method: 'POST', url: inviteUrl(id, contactId) });
    const newToken = await tokenFromOutbox(harness, 're@client.example', 'accept-invitation');
    assert.notEqual(oldToken, newToken);
    const client = portalClient(harness, slug);
    const old = await client.request({
      method: 'POST',
      url: '/invitations/accept',
      payload: { token: oldToken, password: CLIENT_PASSWORD },
    });
    assert.equal(old.statusCode, 400);

    const start = harness.clock.now;
    try {
      harness.clock.now = new Date(start.getTime() + 7 * 24 * 3_600_000 + 1000);
      const late = await client.request({
        method: 'POST',
        url: '/invitations/accept',
        payload: { token: newToken, password: CLIENT_PASSWORD },
      });
      assert.equal(late.statusCode, 400, 'expired');
    } finally {
      harness.clock.now = start;
    }
    const inTime = await client.request({
      method: 'POST',
      url: '/invitations/accept',
      payload: { token: newToken, password: CLIENT_PASSWORD },
    });
    assert.equal(inTime.statusCode, 200);
  });

  test("a new e-mail address voids the person's invitation and reset links; the new address is invited", async () => {
    const { id, contacts } = await customerWithContacts(owner, 'Moved mailbox', ['old-box@client.example']);
    const contactId = contacts['old-box@client.example'] ?? '';
    const patchContact = (payload: object) =>
      owner.request({ method: 'PATCH', url: `/api/v1/customers/${id}/contact-persons/${contactId}`, payload });
    await owner.request({ method: 'POST', url: inviteUrl(id, contactId) });
    const invitation = await tokenFromOutbox(harness, 'old-box@client.example', 'accept-invitation');
    // Another change (a new phone number) keeps the link: only the address matters.
    assert.equal((await patchContact({ phone: '+1 555 0199' })).statusCode, 200);
    assert.equal((await patchContact({ email: 'OLD-BOX@client.example' })).statusCode, 200, 'same address');
    const stillThere = await harness.ctx.db.kysely
      .selectFrom('accessTokens')
      .select('id')
      .where('contactPersonId', '=', contactId)
      .execute();
    assert.equal(stillThere.length, 1);

    assert.equal((await patchContact({ email: 'new-box@client.example' })).statusCode, 200);
    const client = portalClient(harness, slug);
    const accept = (token: string) =>
      client.request({ method: 'POST', url: '/invitations/accept', payload: { token, password: CLIENT_PASSWORD } });
    const refused = await accept(invitation);
    assert.equal(refused.statusCode, 400, 'the link sent to the old mailbox no longer works');
    assert.equal(refused.json().errors[0].path, '/token');
    assert.equal((await owner.request({ method: 'POST', url: inviteUrl(id, contactId) })).statusCode, 200);
    const accepted = await accept(await tokenFromOutbox(harness, 'new-box@client.example', 'accept-invitation'));
    assert.equal(accepted.statusCode, 200, accepted.body);

    // A reset link sent before the change is void too.
    const forgot = await portalClient(harness, slug).request({
      method: 'POST',
      url: '/password/forgot',
      payload: { email: 'new-box@client.example' },
    });
    assert.equal(forgot.statusCode, 202);
    const reset = await tokenFromOutbox(harness, 'new-box@client.example', 'reset-password');
    assert.equal((await patchContact({ email: 'third-box@client.example' })).statusCode, 200);
    const late = await portalClient(harness, slug).request({
      method: 'POST',
      url: '/password/reset',
      payload: { token: reset, password: 'a brand new portal password' },
    });
    assert.equal(late.statusCode, 400);
    assert.equal(late.json().errors[0].path, '/token');
  });

  test('an address of a deleted contact person, or of a deleted customer, can be invited again', async () => {
    const first = await customerWithContacts(owner, 'Had a contact', ['comeback@client.example']);
    const firstContact = first.contacts['comeback@client.example'] ?? '';
    await activatedClient(harness, owner, slug, first.id, firstContact, 'comeback@client.example');
    const deleted = await owner.request({
      method: 'DELETE',
      url: `/api/v1/customers/${first.id}/contact-persons/${firstContact}`,
    });
    assert.equal(deleted.statusCode, 204);
    const added = await owner.request({
      method: 'POST',
      url: `/api/v1/customers/${first.id}/contact-persons`,
      payload: { firstName: 'Again', email: 'comeback@client.example' },
    });
    assert.equal(added.statusCode, 201, added.body);
    // A second later, so that the outbox's newest invitation to this address is this one.
    harness.clock.now = new Date(harness.clock.now.getTime() + 1000);
    const invited = await owner.request({ method: 'POST', url: inviteUrl(first.id, added.json().id) });
    assert.equal(invited.statusCode, 200, invited.body);
    const accepted = await portalClient(harness, slug).request({
      method: 'POST',
      url: '/invitations/accept',
      payload: {
        token: await tokenFromOutbox(harness, 'comeback@client.example', 'accept-invitation'),
        password: CLIENT_PASSWORD,
      },
    });
    assert.equal(accepted.statusCode, 200, accepted.body);
    assert.equal(accepted.json().contactPerson.id, added.json().id);

    // The same after deleting the whole customer: its people go with it.
    assert.equal((await owner.request({ method: 'DELETE', url: `/api/v1/customers/${first.id}` })).statusCode, 204);
    const second = await customerWithContacts(owner, 'Took the contact over', ['comeback@client.example']);
    const reinvited = await owner.request({
      method: 'POST',
      url: inviteUrl(second.id, second.contacts['comeback@client.example'] ?? ''),
    });
    assert.equal(reinvited.statusCode, 200, reinvited.body);
  });

  test('sign-in: the same answer for a wrong password and an unknown e-mail; sessions are per portal', async () => {
    const { id, contacts } = await customerWithContacts(owner, 'Signin', ['signin@client.example']);
    const client = await activatedClient(
      harness,
      owner,
      slug,
      id,
      contacts['signin@client.example'] ?? '',
      'signin@client.example',
    );
    const anonymous = portalClient(harness, slug);
    const wrong = await anonymous.request({
      method: 'POST',
      url: '/session',
      payload: { email: 'signin@client.example', password: 'not the password at all' },
    });
    const unknown = await anonymous.request({
      method: 'POST',
      url: '/session',
      payload: { email: 'nobody@client.example', password: 'not the password at all' },
    });
    assert.equal(wrong.statusCode, 401);
    assert.deepEqual(wrong.json(), unknown.json());

    const cookie = client.cookie;
    const elsewhere = await harness.app.inject({
      method: 'GET',
      url: `/api/portal/${otherSlug}/session`,
      headers: { cookie },
    });
    assert.equal(elsewhere.statusCode, 401, "a session of one organization's portal is useless on another's");
    const wrongRealm = await harness.app.inject({ method: 'GET', url: '/api/v1/customers', headers: { cookie } });
    assert.equal(wrongRealm.statusCode, 401, 'a portal session is no business session');
    const otherOrgLogin = await portalClient(harness, otherSlug).request({
      method: 'POST',
      url: '/session',
      payload: { email: 'signin@client.example', password: CLIENT_PASSWORD },
    });
    assert.equal(otherOrgLogin.statusCode, 401, 'the same e-mail elsewhere is another identity');
    const noCsrf = await harness.app.inject({
      method: 'DELETE',
      url: `/api/portal/${slug}/session`,
      headers: { cookie },
    });
    assert.equal(noCsrf.statusCode, 403);
  });

  test('disabling a person or deleting their customer ends their sessions at once', async () => {
    const one = await customerWithContacts(owner, 'Disable me', ['dis@client.example']);
    const client = await activatedClient(
      harness,
      owner,
      slug,
      one.id,
      one.contacts['dis@client.example'] ?? '',
      'dis@client.example',
    );
    assert.equal((await client.request({ method: 'GET', url: '/session' })).statusCode, 200);
    const disabled = await owner.request({
      method: 'POST',
      url: disableUrl(one.id, one.contacts['dis@client.example'] ?? ''),
    });
    assert.equal(disabled.statusCode, 200);
    assert.equal(disabled.json().portalStatus, 'disabled');
    assert.equal((await client.request({ method: 'GET', url: '/session' })).statusCode, 401);
    const relogin = await portalClient(harness, slug).request({
      method: 'POST',
      url: '/session',
      payload: { email: 'dis@client.example', password: CLIENT_PASSWORD },
    });
    assert.equal(relogin.statusCode, 401);
    assert.equal(
      (await owner.request({ method: 'POST', url: disableUrl(one.id, one.contacts['dis@client.example'] ?? '') }))
        .statusCode,
      409,
    );

    const two = await customerWithContacts(owner, 'Delete me', ['del@client.example']);
    const other = await activatedClient(
      harness,
      owner,
      slug,
      two.id,
      two.contacts['del@client.example'] ?? '',
      'del@client.example',
    );
    assert.equal((await owner.request({ method: 'DELETE', url: `/api/v1/customers/${two.id}` })).statusCode, 204);
    assert.equal((await other.request({ method: 'GET', url: '/session' })).statusCode, 401);
  });

  test('turning the portal off answers 404 on its routes', async () => {
    const org = await createOrgAndSignIn(harness);
    const orgSlug = await enablePortal(org);
    const { id, contacts } = await customerWithContacts(org, 'Closed', ['closed@client.example']);
    const client = await activatedClient(
      harness,
      org,
      orgSlug,
      id,
      contacts['closed@client.example'] ?? '',
      'closed@client.example',
    );
    await org.request({ method: 'PATCH', url: '/api/v1/portal-settings', payload: { enabled: false } });
    assert.equal((await client.request({ method: 'GET', url: '/session' })).statusCode, 404);
    const login = await portalClient(harness, orgSlug).request({
      method: 'POST',
      url: '/session',
      payload: { email: 'closed@client.example', password: CLIENT_PASSWORD },
    });
    assert.equal(login.statusCode, 404);
  });

  test('forgot → reset: same answer for unknown e-mails, single-use 1-hour link, every session ends', async () => {
    const { id, contacts } = await customerWithContacts(owner, 'Forgetful', ['forgot@client.example']);
    const client = await activatedClient(
      harness,
      owner,
      slug,
      id,
      contacts['forgot@client.example'] ?? '',
      'forgot@client.example',
    );
    const anonymous = portalClient(harness, slug);
    const known = await anonymous.request({
      method: 'POST',
      url: '/password/forgot',
      payload: { email: 'forgot@client.example' },
      headers: { host: 'evil.example' },
    });
    const unknown = await anonymous.request({
      method: 'POST',
      url: '/password/forgot',
      payload: { email: 'ghost@client.example' },
    });
    assert.equal(known.statusCode, 202);
    assert.deepEqual(known.json(), unknown.json());
    const token = await tokenFromOutbox(harness, 'forgot@client.example', 'reset-password');
    const mail = await harness.ctx.db.kysely
      .selectFrom('outboxMessages')
      .select('textBody')
      .where('toAddress', '=', 'forgot@client.example')
      .where('template', '=', 'passwordReset')
      .executeTakeFirstOrThrow();
    assert.ok(
      mail.textBody.includes(`http://portico.test/portal/${slug}/reset-password#token=`),
      'built from PUBLIC_URL',
    );
    assert.ok(!mail.textBody.includes('evil.example'));
    assert.equal(
      await harness.ctx.db.kysely
        .selectFrom('outboxMessages')
        .select('id')
        .where('toAddress', '=', 'ghost@client.example')
        .executeTakeFirst(),
      undefined,
    );

    const start = harness.clock.now;
    try {
      harness.clock.now = new Date(start.getTime() + 61 * 60_000);
      const late = await anonymous.request({
        method: 'POST',
        url: '/password/reset',
        payload: { token, password: 'a brand new client password' },
      });
      assert.equal(late.statusCode, 400, 'a reset link lasts one hour');
    } finally {
      harness.clock.now = start;
    }
    const reset = await anonymous.request({
      method: 'POST',
      url: '/password/reset',
      payload: { token, password: 'a brand new client password' },
    });
    assert.equal(reset.statusCode, 200, reset.body);
    assert.equal((await client.request({ method: 'GET', url: '/session' })).statusCode, 401, 'older sessions ended');
    const again = await anonymous.request({
      method: 'POST',
      url: '/password/reset',
      payload: { token, password: 'another brand new password' },
    });
    assert.equal(again.statusCode, 400, 'single use');
    const login = await portalClient(harness, slug).request({
      method: 'POST',
      url: '/session',
      payload: { email: 'forgot@client.example', password: 'a brand new client password' },
    });
    assert.equal(login.statusCode, 200);
  });

  test('a locked-out account can still reset its password', async () => {
    const { id, contacts } = await customerWithContacts(owner, 'Locked', ['locked@client.example']);
    await activatedClient(harness, owner, slug, id, contacts['locked@client.example'] ?? '', 'locked@client.example');
    const anonymous = portalClient(harness, slug);
    for (let i = 0; i < 6; i++) {
      await anonymous.request({
        method: 'POST',
        url: '/session',
        payload: { email: 'locked@client.example', password: 'guessing wrongly again' },
      });
    }
    const locked = await anonymous.request({
      method: 'POST',
      url: '/session',
      payload: { email: 'locked@client.example', password: CLIENT_PASSWORD },
    });
    assert.equal(locked.statusCode, 429);
    assert.equal(locked.json().code, 'rate_limited');
    await anonymous.request({ method: 'POST', url: '/password/forgot', payload: { email: 'locked@client.example' } });
    const token = await tokenFromOutbox(harness, 'locked@client.example', 'reset-password');
    const reset = await anonymous.request({
      method: 'POST',
      url: '/password/reset',
      payload: { token, password: 'fresh start after the lockout' },
    });
    assert.equal(reset.statusCode, 200, reset.body);
    const login = await portalClient(harness, slug).request({
      method: 'POST',
      url: '/session',
      payload: { email: 'locked@client.example', password: 'fresh start after the lockout' },
    });
    assert.equal(login.statusCode, 200);
  });

  test('change password: needs the current one, follows the rules, ends the other sessions', async () => {
    const { id, contacts } = await customerWithContacts(owner, 'Changer', ['change@client.example']);
    const first = await activatedClient(
      harness,
      owner,
      slug,
      id,
      contacts['change@client.example'] ?? '',
      'change@client.example',
    );
    const second = portalClient(harness, slug);
    second.keepSessionFrom(
      await second.request({
        method: 'POST',
        url: '/session',
        payload: { email: 'change@client.example', password: CLIENT_PASSWORD },
      }),
    );
    const wrong = await first.request({
      method: 'PUT',
      url: '/password',
      payload: { currentPassword: 'not my password', newPassword: 'a fresh long password' },
    });
    assert.equal(wrong.statusCode, 400);
    const common = await first.request({
      method: 'PUT',
      url: '/password',
      payload: { currentPassword: CLIENT_PASSWORD, newPassword: 'password1234567' },
    });
    assert.equal(common.statusCode, 400, 'a common password');
    const changed = await first.request({
      method: 'PUT',
      url: '/password',
      payload: { currentPassword: CLIENT_PASSWORD, newPassword: 'a fresh long password' },
    });
    assert.equal(changed.statusCode, 204, changed.body);
    assert.equal((await first.request({ method: 'GET', url: '/session' })).statusCode, 200);
    assert.equal((await second.request({ method: 'GET', url: '/session' })).statusCode, 401);
    const notice = await harness.ctx.db.kysely
      .selectFrom('outboxMessages')
      .select('id')
      .where('toAddress', '=', 'change@client.example')
      .where('template', '=', 'passwordChanged')
      .executeTakeFirst();
    assert.ok(notice, 'the person is told their password changed');
  });

  test('the audit log records access events for the business', async () => {
    const log = (await owner.request({ method: 'GET', url: '/api/v1/audit-log?limit=100' })).json();
    const events = new Set(log.data.map((e: { event: string }) => e.event));
    for (const event of [
      'portal.invitation_sent',
      'portal.invitation_accepted',
      'portal.login_succeeded',
      'portal.login_failed',
      'portal.password_changed',
      'portal.password_reset',
      'portal.access_disabled',
      'portal.session_ended',
    ]) {
      assert.ok(events.has(event), event);
    }
    const other = (await otherOwner.request({ method: 'GET', url: '/api/v1/audit-log?limit=100' })).json();
    assert.ok(other.data.every((e: { event: string }) => !e.event.startsWith('portal.invitation')));
  });
});

describe('portal cookies over https', () => {
  test('Secure, HttpOnly, SameSite=Lax, Path=/ and the __Host- prefix', async () => {
    const harness = await startHarness({ publicUrl: 'https://billing.example.com' });
    try {
      const owner = await createOrgAndSignIn(harness);
      const slug = await enablePortal(owner);
      const { id, contacts } = await customerWithContacts(owner, 'Secure', ['secure@client.example']);
      const client = await activatedClient(
        harness,
        owner,
        slug,
        id,
        contacts['secure@client.example'] ?? '',
        'secure@client.example',
      );
      assert.match(client.cookie, /^__Host-portico_portal=/);
      const login = await portalClient(harness, slug).request({
        method: 'POST',
        url: '/session',
        payload: { email: 'secure@client.example', password: CLIENT_PASSWORD },
      });
      const cookie = login.cookies[0];
      assert.ok(cookie);
      assert.equal(cookie.secure, true);
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, 'Lax');
      assert.equal(cookie.path, '/');
      assert.ok(String(login.headers['strict-transport-security']).includes('max-age='));
    } finally {
      await harness.close();
    }
  });
});
