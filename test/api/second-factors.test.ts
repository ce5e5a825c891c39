import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { TOTP } from 'otpauth';
import {
  type Actor,
  createOrgAndSignIn,
  type Harness,
  OWNER_PASSWORD,
  signIn,
  startHarness,
} from '../support/harness.js';
import { mailTo } from '../support/pay.js';
import {
  activatedClient,
  CLIENT_PASSWORD,
  customerWithContacts,
  enablePortal,
  type PortalClient,
  portalClient,
} from '../support/portal.js';
import { softwarePasskey } from '../support/software-passkey.js';

/**
 * Second factors (issue 19): TOTP and passkeys for business users and contact persons, recovery codes that work
 * once, the pending sign-in after the password, required second factors, the business's reset of a contact's
 * factors, and "recent sign-in" for factor and saved-card changes. Through HTTP on a fresh database.
 */
describe('second factors', () => {
  let harness: Harness;
  let owner: Actor;
  let addressCounter = 0;

  /** Each sign-in comes from its own address, so one test's budgets do not spend another's. */
  const fromAddress = () => {
    addressCounter += 1;
    const remoteAddress = `198.51.100.${addressCounter}`;
    return (options: InjectOptions) => harness.app.inject({ ...options, remoteAddress });
  };
  const codeFor = (secret: string, at = harness.clock.now) =>
    new TOTP({ secret, algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: at.getTime() });
  const nextStep = () => {
    harness.clock.now = new Date(harness.clock.now.getTime() + 30_000);
  };
  const auditEvents = async (organizationId: string, event: string) =>
    harness.ctx.db.kysely
      .selectFrom('auditLog')
      .select(['actorId', 'contactPersonId', 'details'])
      .where('organizationId', '=', organizationId)
      .where('event', '=', event as never)
      .execute();

  /** Sets up TOTP for an actor (business or portal) and returns its secret and recovery codes. */
  async function enrolTotp(request: (options: InjectOptions) => Promise<LightMyRequestResponse>) {
    const started = await request({ method: 'POST', url: '/second-factors/totp', payload: {} });
    assert.equal(started.statusCode, 201, started.body);
    const { id, secret, qrCode, uri } = started.json();
    assert.match(qrCode, /^data:image\/png;base64,/);
    assert.match(uri, /^otpauth:\/\/totp\//);
    const confirmed = await request({
      method: 'POST',
      url: `/second-factors/totp/${id}/confirm`,
      payload: { code: codeFor(secret) },
    });
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    return { id: id as string, secret: secret as string, recoveryCodes: confirmed.json().recoveryCodes as string[] };
  }

  const business = (actor: Actor) => (options: InjectOptions) =>
    actor.request({ ...options, url: `/api/v1${options.url}` });

  async function newUser(email: string, role: 'staff' | 'admin' = 'staff') {
    const created = await owner.request({
      method: 'POST',
      url: '/api/v1/users',
      payload: { email, name: 'Sam Second', role, password: OWNER_PASSWORD },
    });
    assert.equal(created.statusCode, 201, created.body);
    const userId = created.json().id as string;
    return {
      userId,
      actor: await signIn(harness, email, OWNER_PASSWORD, { organizationId: owner.organizationId, userId }),
    };
  }

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness);
  });
  after(async () => harness.close());

  test('a business user sets up TOTP, then signs in with the password and a code; a code works once', async () => {
    const { userId, actor } = await newUser('totp-user@example.com');
    const request = business(actor);
    const wrong = await request({ method: 'POST', url: '/second-factors/totp', payload: {} });
    const wrongConfirm = await request({
      method: 'POST',
      url: `/second-factors/totp/${wrong.json().id}/confirm`,
      payload: { code: '000000' === codeFor(wrong.json().secret) ? '111111' : '000000' },
    });
    assert.equal(wrongConfirm.statusCode, 400);
    assert.equal((await request({ method: 'GET', url: '/second-factors' })).json().data.length, 0);

    const { secret, recoveryCodes } = await enrolTotp(request);
    assert.equal(recoveryCodes.length, 10);
    const listed = (await request({ method: 'GET', url: '/second-factors' })).json();
    assert.equal(listed.data.length, 1);
    assert.equal(listed.data[0].kind, 'totp');
    assert.equal(listed.recoveryCodesLeft, 10);
    assert.equal((await auditEvents(owner.organizationId, 'business.second_factor_enrolled')).length, 1);
    const stored = await harness.ctx.db.kysely
      .selectFrom('recoveryCodes')
      .select('codeHash')
      .where('userId', '=', userId)
      .execute();
    assert.ok(stored.every((row) => !recoveryCodes.some((code) => row.codeHash.includes(code.replace('-', '')))));

    nextStep();
    const send = fromAddress();
    const password = await send({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'totp-user@example.com', password: OWNER_PASSWORD },
    });
    assert.equal(password.statusCode, 202, password.body);
    assert.equal(
      password.cookies.filter((c) => c.name.includes('portico_app') && !c.name.includes('device')).length,
      0,
    );
    const pending = password.json().secondFactor;
    assert.deepEqual(pending.methods, ['totp', 'recovery_code']);

    const code = codeFor(secret);
    const done = await send({
      method: 'POST',
      url: '/api/v1/session/second-factor',
      payload: { token: pending.token, method: 'totp', code },
    });
    assert.equal(done.statusCode, 200, done.body);
    assert.equal(done.json().user.id, userId);
    const session = await harness.ctx.db.kysely
      .selectFrom('sessions')
      .select(['authenticatedWith', 'authenticatedAt'])
      .where('userId', '=', userId)
      .orderBy('createdAt', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(session.authenticatedWith, 'password+totp');
    assert.equal(session.authenticatedAt, harness.clock.now.toISOString());
    // The pending sign-in is used up, and the same code does not open a second one.
    const again = await send({
      method: 'POST',
      url: '/api/v1/session/second-factor',
      payload: { token: pending.token, method: 'totp', code },
    });
    assert.equal(again.statusCode, 401);
    const second = await send({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'totp-user@example.com', password: OWNER_PASSWORD },
    });
    const replay = await send({
      method: 'POST',
      url: '/api/v1/session/second-factor',
      payload: { token: second.json().secondFactor.token, method: 'totp', code },
    });
    assert.equal(replay.statusCode, 401);
    assert.ok((await auditEvents(owner.organizationId, 'business.second_factor_used')).length >= 1);
    assert.ok((await auditEvents(owner.organizationId, 'business.second_factor_failed')).length >= 1);
  });

  test('a recovery code works once, even sent twice at once', async () => {
    const { actor } = await newUser('recovery-user@example.com');
    const { recoveryCodes } = await enrolTotp(business(actor));
    const code = recoveryCodes[0] ?? '';
    const pendings = await Promise.all(
      [fromAddress(), fromAddress()].map(async (send) => {
        const answer = await send({
          method: 'POST',
          url: '/api/v1/session',
          payload: { email: 'recovery-user@example.com', password: OWNER_PASSWORD },
        });
        assert.equal(answer.statusCode, 202, answer.body);
        return { send, token: answer.json().secondFactor.token as string };
      }),
    );
    const answers = await Promise.all(
      pendings.map(({ send, token }) =>
        send({
          method: 'POST',
          url: '/api/v1/session/second-factor',
          payload: { token, method: 'recovery_code', code },
        }),
      ),
    );
    assert.deepEqual(answers.map((a) => a.statusCode).sort(), [200, 401]);
    const listed = (await business(actor)({ method: 'GET', url: '/second-factors' })).json();
    assert.equal(listed.recoveryCodesLeft, 9);
    // Another code, typed in capitals and without the dash, still works.
    const send = fromAddress();
    const pending = await send({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'recovery-user@example.com', password: OWNER_PASSWORD },
    });
    const other = await send({
      method: 'POST',
      url: '/api/v1/session/second-factor',
      payload: {
        token: pending.json().secondFactor.token,
        method: 'recovery_code',
        code: (recoveryCodes[1] ?? '').toUpperCase().replace('-', ''),
      },
    });
    assert.equal(other.statusCode, 200, other.body);
  });

  test('wrong codes are throttled like passwords, fired at once', async () => {
    const { actor } = await newUser('throttled-user@example.com');
    await enrolTotp(business(actor));
    const send = fromAddress();
    const pending = await send({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'throttled-user@example.com', password: OWNER_PASSWORD },
    });
    const token = pending.json().secondFactor.token;
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        send({
          method: 'POST',
          url: '/api/v1/session/second-factor',
          payload: { token, method: 'recovery_code', code: `wrong-${i}` },
        }),
      ),
    );
    const statuses = answers.map((a) => a.statusCode);
    assert.ok(
      statuses.every((s) => s === 401 || s === 429),
      statuses.join(),
    );
    assert.ok(statuses.includes(429), statuses.join());
    assert.ok(statuses.filter((s) => s === 401).length <= 6, statuses.join());
    // A right password does not forgive the guessed codes: the second-factor budget is its own.
    const fresh = await fromAddress()({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'throttled-user@example.com', password: OWNER_PASSWORD },
    });
    assert.equal(fresh.statusCode, 202);
    const blocked = await send({
      method: 'POST',
      url: '/api/v1/session/second-factor',
      payload: { token: fresh.json().secondFactor.token, method: 'recovery_code', code: 'still-wrong' },
    });
    assert.equal(blocked.statusCode, 429);
  });

  test('a passkey is set up and signs in (a software authenticator)', async () => {
    const { userId, actor } = await newUser('passkey-user@example.com');
    const request = business(actor);
    const passkey = softwarePasskey('http://portico.test');
    const options = await request({ method: 'POST', url: '/second-factors/passkeys/options' });
    assert.equal(options.statusCode, 200, options.body);
    assert.equal(options.json().rp.id, 'portico.test');
    const forged = await request({
      method: 'POST',
      url: '/second-factors/passkeys',
      payload: { credential: passkey.register({ challenge: 'not-the-challenge' }) },
    });
    assert.equal(forged.statusCode, 400, forged.body);
    const options2 = await request({ method: 'POST', url: '/second-factors/passkeys/options' });
    const added = await request({
      method: 'POST',
      url: '/second-factors/passkeys',
      payload: { label: 'Laptop', credential: passkey.register(options2.json()) },
    });
    assert.equal(added.statusCode, 201, added.body);
    assert.equal(added.json().factor.label, 'Laptop');
    assert.equal(added.json().recoveryCodes.length, 10);

    const send = fromAddress();
    const pending = await send({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'passkey-user@example.com', password: OWNER_PASSWORD },
    });
    assert.deepEqual(pending.json().secondFactor.methods, ['passkey', 'recovery_code']);
    const token = pending.json().secondFactor.token;
    const requestOptions = await send({
      method: 'POST',
      url: '/api/v1/session/second-factor/passkey-options',
      payload: { token },
    });
    assert.equal(requestOptions.statusCode, 200, requestOptions.body);
    const done = await send({
      method: 'POST',
      url: '/api/v1/session/second-factor',
      payload: { token, method: 'passkey', credential: passkey.authenticate(requestOptions.json()) },
    });
    assert.equal(done.statusCode, 200, done.body);
    const session = await harness.ctx.db.kysely
      .selectFrom('sessions')
      .select('authenticatedWith')
      .where('userId', '=', userId)
      .orderBy('createdAt', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(session.authenticatedWith, 'password+passkey');
  });

  test('factor changes need a recent sign-in; removing the last factor removes the recovery codes', async () => {
    const { actor } = await newUser('recent-user@example.com');
    const request = business(actor);
    const { id } = await enrolTotp(request);
    harness.clock.now = new Date(harness.clock.now.getTime() + 11 * 60_000);
    const late = await request({ method: 'DELETE', url: `/second-factors/${id}` });
    assert.equal(late.statusCode, 403);
    assert.equal(late.json().code, 'recent_sign_in_required');
    assert.equal((await request({ method: 'GET', url: '/second-factors' })).json().data.length, 1);
    const fresh = await newUser('recent-user-2@example.com');
    const { id: otherId } = await enrolTotp(business(fresh.actor));
    const notMine = await business(fresh.actor)({ method: 'DELETE', url: `/second-factors/${id}` });
    assert.equal(notMine.statusCode, 404);
    const removed = await business(fresh.actor)({ method: 'DELETE', url: `/second-factors/${otherId}` });
    assert.equal(removed.statusCode, 204);
    const listed = (await business(fresh.actor)({ method: 'GET', url: '/second-factors' })).json();
    assert.deepEqual([listed.data.length, listed.recoveryCodesLeft], [0, 0]);
    assert.equal((await auditEvents(owner.organizationId, 'business.second_factor_removed')).length, 1);
    const bad = await business(fresh.actor)({ method: 'POST', url: '/second-factors/recovery-codes' });
    assert.equal(bad.statusCode, 409);
    const badCode = await business(fresh.actor)({
      method: 'POST',
      url: '/second-factors/totp/sf_x/confirm',
      payload: { code: 'abc' },
    });
    assert.equal(badCode.statusCode, 400);
  });

  test("an admin resets a user's second factors (audited, signed out); nobody resets their own this way", async () => {
    const { userId, actor } = await newUser('lost-device@example.com');
    await enrolTotp(business(actor));
    const { actor: staff } = await newUser('staff-resetter@example.com');
    const url = `/api/v1/users/${userId}/second-factors/reset`;
    assert.equal((await staff.request({ method: 'POST', url })).statusCode, 403);
    const other = await createOrgAndSignIn(harness);
    assert.equal((await other.request({ method: 'POST', url })).statusCode, 404);
    assert.equal(
      (await owner.request({ method: 'POST', url: `/api/v1/users/${owner.userId}/second-factors/reset` })).statusCode,
      403,
    );
    // The users list says who has a second factor: the Reset button is offered for them.
    const hasFactor = async () => {
      const users: Array<{ id: string; hasSecondFactor: boolean }> = (
        await owner.request({ method: 'GET', url: '/api/v1/users' })
      ).json();
      return users.find((user) => user.id === userId)?.hasSecondFactor;
    };
    assert.equal(await hasFactor(), true);
    // The e-mail to the user is in the business's language: the organization's locale.
    const german = await owner.request({ method: 'PATCH', url: '/api/v1/organization', payload: { locale: 'de-DE' } });
    assert.equal(german.statusCode, 200, german.body);
    try {
      const reset = await owner.request({ method: 'POST', url });
      assert.equal(reset.statusCode, 204, reset.body);
    } finally {
      await owner.request({ method: 'PATCH', url: '/api/v1/organization', payload: { locale: 'en-US' } });
    }
    assert.equal(await hasFactor(), false);
    assert.equal((await business(actor)({ method: 'GET', url: '/second-factors' })).statusCode, 401);
    const audited = await auditEvents(owner.organizationId, 'business.second_factors_reset');
    assert.equal(audited.length, 1);
    assert.equal(JSON.parse(audited[0]?.details ?? '{}').userId, userId);
    const mails = await mailTo(harness, 'lost-device@example.com', 'userSecondFactorsReset');
    assert.equal(mails.length, 1, 'one e-mail: the refused resets sent none');
    assert.match(mails[0]?.subject ?? '', /^Die zweiten Faktoren Ihres Backoffice-Kontos bei .+ wurden entfernt$/);
    assert.match(mails[0]?.textBody ?? '', /hat am .+ die Passkeys, Authenticator-Apps und Wiederherstellungscodes/);
    assert.match(mails[0]?.textBody ?? '', /\/app\//);
    const passwordOnly = await fromAddress()({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'lost-device@example.com', password: OWNER_PASSWORD },
    });
    assert.equal(passwordOnly.statusCode, 200, passwordOnly.body);
  });

  test('an organization requiring a second factor sends a password-only sign-in to enrolment', async () => {
    const required = await owner.request({
      method: 'PATCH',
      url: '/api/v1/organization',
      payload: { requireSecondFactor: true },
    });
    assert.equal(required.statusCode, 200, required.body);
    assert.equal(required.json().requireSecondFactor, true);
    try {
      const { actor } = await newUser('must-enrol@example.com');
      const request = business(actor);
      const who = await request({ method: 'GET', url: '/session' });
      assert.equal(who.json().enrolmentRequired, true);
      const blocked = await request({ method: 'GET', url: '/invoices' });
      assert.equal(blocked.statusCode, 403);
      assert.equal(blocked.json().code, 'second_factor_enrolment_required');
      assert.equal((await request({ method: 'GET', url: '/second-factors' })).json().required, true);
      await enrolTotp(request);
      assert.equal((await request({ method: 'GET', url: '/invoices' })).statusCode, 200);
      assert.equal((await request({ method: 'GET', url: '/session' })).json().enrolmentRequired, false);
    } finally {
      await owner.request({ method: 'PATCH', url: '/api/v1/organization', payload: { requireSecondFactor: false } });
    }
  });

  test('a reset link does not skip the second factor: the new password leads to the second step', async () => {
    const email = 'reset-factor@example.com';
    const { userId, actor } = await newUser(email);
    const { secret } = await enrolTotp(business(actor));
    nextStep();
    const send = fromAddress();
    await send({ method: 'POST', url: '/api/v1/password/forgot', payload: { email } });
    const mail = await harness.ctx.db.kysely
      .selectFrom('outboxMessages')
      .select('textBody')
      .where('toAddress', '=', email)
      .where('template', '=', 'businessPasswordReset')
      .executeTakeFirstOrThrow();
    const token = /#token=([A-Za-z0-9_-]+)/.exec(mail.textBody)?.[1] ?? '';
    const reset = await send({
      method: 'POST',
      url: '/api/v1/password/reset',
      payload: { token, password: 'a brand new passphrase for the books' },
    });
    assert.equal(reset.statusCode, 202, reset.body);
    assert.equal(reset.cookies.filter((c) => c.name.includes('portico_app') && !c.name.includes('device')).length, 0);
    const withoutFactor = await harness.ctx.db.kysely
      .selectFrom('sessions')
      .select('id')
      .where('userId', '=', userId)
      .execute();
    assert.equal(withoutFactor.length, 0, 'the link alone opened no session');
    const done = await send({
      method: 'POST',
      url: '/api/v1/session/second-factor',
      payload: { token: reset.json().secondFactor.token, method: 'totp', code: codeFor(secret) },
    });
    assert.equal(done.statusCode, 200, done.body);
    const session = await harness.ctx.db.kysely
      .selectFrom('sessions')
      .select('authenticatedWith')
      .where('userId', '=', userId)
      .executeTakeFirstOrThrow();
    assert.equal(session.authenticatedWith, 'password+totp');
  });

  describe('the portal', () => {
    let slug: string;
    let customerId: string;
    let contacts: Record<string, string>;

    before(async () => {
      slug = await enablePortal(owner);
      ({ id: customerId, contacts } = await customerWithContacts(owner, 'Factor Client', [
        'ana@client.test',
        'ben@client.test',
        'cy@client.test',
        'dee@client.test',
      ]));
    });

    const portalSignIn = async (client: PortalClient, email: string) =>
      client.request({
        method: 'POST',
        url: '/session',
        payload: { email, password: CLIENT_PASSWORD },
        remoteAddress: `192.0.2.${++addressCounter % 250}`,
      });

    test('a contact person sets up TOTP and signs in with a code; the business resets the factors', async () => {
      const email = 'ana@client.test';
      const ana = await activatedClient(harness, owner, slug, customerId, contacts[email] ?? '', email);
      const { secret } = await enrolTotp((options) => ana.request(options));
      nextStep();
      const client = portalClient(harness, slug);
      const pending = await portalSignIn(client, email);
      assert.equal(pending.statusCode, 202, pending.body);
      const done = await client.request({
        method: 'POST',
        url: '/session/second-factor',
        payload: { token: pending.json().secondFactor.token, method: 'totp', code: codeFor(secret) },
      });
      assert.equal(done.statusCode, 200, done.body);
      client.keepSessionFrom(done);
      assert.equal((await client.request({ method: 'GET', url: '/home' })).statusCode, 200);
      assert.equal((await auditEvents(owner.organizationId, 'portal.second_factor_used')).length, 1);

      // A token of one portal's pending sign-in does nothing at another's.
      const resetUrl = `/api/v1/customers/${customerId}/contact-persons/${contacts[email]}/second-factors/reset`;
      const { actor: staff } = await newUser('staff-reset@example.com');
      assert.equal((await staff.request({ method: 'POST', url: resetUrl })).statusCode, 403);
      const other = await createOrgAndSignIn(harness);
      assert.equal((await other.request({ method: 'POST', url: resetUrl })).statusCode, 404);
      const reset = await owner.request({ method: 'POST', url: resetUrl });
      assert.equal(reset.statusCode, 204, reset.body);
      assert.equal((await client.request({ method: 'GET', url: '/home' })).statusCode, 401);
      const mail = await harness.ctx.db.kysely
        .selectFrom('outboxMessages')
        .select(['subject', 'textBody'])
        .where('toAddress', '=', email)
        .where('template', '=', 'secondFactorsReset')
        .execute();
      assert.equal(mail.length, 1);
      assert.match(mail[0]?.subject ?? '', /second factors/);
      const audited = await auditEvents(owner.organizationId, 'portal.second_factors_reset');
      assert.equal(audited.length, 1);
      assert.equal(audited[0]?.contactPersonId, contacts[email]);
      const passwordOnly = await portalSignIn(portalClient(harness, slug), email);
      assert.equal(passwordOnly.statusCode, 200, passwordOnly.body);
    });

    test('a portal requiring a second factor sends a password-only sign-in to enrolment', async () => {
      await enablePortal(owner, { requireSecondFactor: true });
      try {
        const email = 'ben@client.test';
        const ben = await activatedClient(harness, owner, slug, customerId, contacts[email] ?? '', email);
        const who = await ben.request({ method: 'GET', url: '/session' });
        assert.equal(who.json().enrolmentRequired, true);
        const blocked = await ben.request({ method: 'GET', url: '/home' });
        assert.equal(blocked.statusCode, 403);
        assert.equal(blocked.json().code, 'second_factor_enrolment_required');
        await enrolTotp((options) => ben.request(options));
        assert.equal((await ben.request({ method: 'GET', url: '/home' })).statusCode, 200);
      } finally {
        await enablePortal(owner, { requireSecondFactor: false });
      }
    });

    test('a portal reset link does not skip the second factor either', async () => {
      const email = 'dee@client.test';
      const dee = await activatedClient(harness, owner, slug, customerId, contacts[email] ?? '', email);
      const { secret } = await enrolTotp((options) => dee.request(options));
      nextStep();
      const client = portalClient(harness, slug);
      await client.request({ method: 'POST', url: '/password/forgot', payload: { email } });
      const mail = await harness.ctx.db.kysely
        .selectFrom('outboxMessages')
        .select('textBody')
        .where('toAddress', '=', email)
        .where('template', '=', 'passwordReset')
        .executeTakeFirstOrThrow();
      const token = /#token=([A-Za-z0-9_-]+)/.exec(mail.textBody)?.[1] ?? '';
      const reset = await client.request({
        method: 'POST',
        url: '/password/reset',
        payload: { token, password: 'a brand new passphrase for the portal' },
      });
      assert.equal(reset.statusCode, 202, reset.body);
      assert.equal((await client.request({ method: 'GET', url: '/home' })).statusCode, 401);
      const done = await client.request({
        method: 'POST',
        url: '/session/second-factor',
        payload: { token: reset.json().secondFactor.token, method: 'totp', code: codeFor(secret) },
      });
      assert.equal(done.statusCode, 200, done.body);
      client.keepSessionFrom(done);
      assert.equal((await client.request({ method: 'GET', url: '/home' })).statusCode, 200);
    });

    test("the reset e-mail is in the contact's language", async () => {
      const email = 'dee@client.test';
      const person = `/api/v1/customers/${customerId}/contact-persons/${contacts[email]}`;
      const german = await owner.request({ method: 'PATCH', url: person, payload: { language: 'de' } });
      assert.equal(german.statusCode, 200, german.body);
      const reset = await owner.request({ method: 'POST', url: `${person}/second-factors/reset` });
      assert.equal(reset.statusCode, 204, reset.body);
      const mail = await harness.ctx.db.kysely
        .selectFrom('outboxMessages')
        .select(['subject', 'textBody'])
        .where('toAddress', '=', email)
        .where('template', '=', 'secondFactorsReset')
        .executeTakeFirstOrThrow();
      assert.match(mail.subject, /zweiten Faktoren/);
      assert.match(mail.textBody, /Wiederherstellungscodes/);
    });

    test('a saved card needs a recent sign-in', async () => {
      const email = 'cy@client.test';
      const cy = await activatedClient(harness, owner, slug, customerId, contacts[email] ?? '', email);
      harness.clock.now = new Date(harness.clock.now.getTime() + 11 * 60_000);
      await cy.request({ method: 'GET', url: '/session' });
      const late = await cy.request({
        method: 'POST',
        url: '/recurring-profiles/rp_none/autopay',
        headers: { 'idempotency-key': 'late-card-1' },
        payload: {},
      });
      assert.equal(late.statusCode, 403, late.body);
      assert.equal(late.json().code, 'recent_sign_in_required');
    });
  });
});
