import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import {
  type Actor,
  createOrgAndSignIn,
  type Harness,
  OWNER_PASSWORD,
  signIn,
  startHarness,
} from '../support/harness.js';
import { tokenFromOutbox } from '../support/portal.js';

/**
 * "Forgot password" for business users (POST /api/v1/password/forgot and /password/reset): the same answer
 * whether or not the e-mail is a user's, at most 3 e-mails an hour to one mailbox, single-use links stored hashed
 * that expire after an hour, every session of the user ended on reset, audited; bad input changes nothing.
 */
describe('business users: forgot and reset password', () => {
  let harness: Harness;
  let owner: Actor;
  let addressCounter = 0;

  /** Each test asks from its own address, so that the per-address budgets of one do not spend another's. */
  const fromAddress = () => {
    addressCounter += 1;
    const remoteAddress = `203.0.113.${addressCounter}`;
    return (options: InjectOptions) => harness.app.inject({ ...options, remoteAddress });
  };
  const forgot = (send: ReturnType<typeof fromAddress>, email: string) =>
    send({ method: 'POST', url: '/api/v1/password/forgot', payload: { email } });
  const reset = (send: ReturnType<typeof fromAddress>, token: string, password: string) =>
    send({ method: 'POST', url: '/api/v1/password/reset', payload: { token, password } });
  const mailsTo = async (to: string) =>
    harness.ctx.db.kysely
      .selectFrom('outboxMessages')
      .select(['textBody', 'subject', 'organizationId'])
      .where('toAddress', '=', to)
      .where('template', '=', 'businessPasswordReset')
      .execute();
  const auditEvents = async (organizationId: string, event: string) =>
    harness.ctx.db.kysely
      .selectFrom('auditLog')
      .select(['actorType', 'actorId', 'details'])
      .where('organizationId', '=', organizationId)
      .where('event', '=', event as never)
      .execute();
  const login = (email: string, password: string) =>
    harness.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password } });
  async function newUser(email: string) {
    const created = await owner.request({
      method: 'POST',
      url: '/api/v1/users',
      payload: { email, name: 'Sam Forgetful', role: 'staff', password: OWNER_PASSWORD },
    });
    assert.equal(created.statusCode, 201, created.body);
    return created.json().id as string;
  }

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness, { name: 'Acme Design' });
  });
  after(() => harness.close());

  test('the same answer for unknown e-mails; the link comes from PUBLIC_URL and is stored hashed; audited', async () => {
    const userId = await newUser('sam@acme.example');
    const send = fromAddress();
    const known = await send({
      method: 'POST',
      url: '/api/v1/password/forgot',
      payload: { email: 'Sam@Acme.example' },
      headers: { host: 'evil.example' },
    });
    const unknown = await forgot(send, 'nobody@acme.example');
    assert.equal(known.statusCode, 202);
    assert.equal(unknown.statusCode, 202);
    assert.deepEqual(known.json(), unknown.json());
    assert.deepEqual(await mailsTo('nobody@acme.example'), []);
    const [mail, ...more] = await mailsTo('sam@acme.example');
    assert.equal(more.length, 0);
    assert.ok(mail?.textBody.includes('http://portico.test/app/reset-password#token='), 'built from PUBLIC_URL');
    assert.ok(!mail?.textBody.includes('evil.example'));
    assert.equal(mail?.subject, 'Reset your Acme Design back office password');

    const token = await tokenFromOutbox(harness, 'sam@acme.example', 'reset-password');
    const stored = await harness.ctx.db.kysely
      .selectFrom('userPasswordResets')
      .select(['tokenHash', 'userId', 'expiresAt', 'usedAt'])
      .where('userId', '=', userId)
      .execute();
    assert.deepEqual(stored, [
      {
        tokenHash: createHash('sha256').update(token).digest('hex'),
        userId,
        expiresAt: new Date(harness.clock.now.getTime() + 3_600_000).toISOString(),
        usedAt: null,
      },
    ]);
    const requested = await auditEvents(owner.organizationId, 'business.password_reset_requested');
    assert.equal(requested.length, 1);
    assert.equal(requested[0]?.actorType, 'anonymous');
  });

  test('a link expires after an hour; a weak password is refused and leaves the link usable', async () => {
    await newUser('lee@acme.example');
    const send = fromAddress();
    await forgot(send, 'lee@acme.example');
    const token = await tokenFromOutbox(harness, 'lee@acme.example', 'reset-password');
    const start = harness.clock.now;
    try {
      harness.clock.now = new Date(start.getTime() + 61 * 60_000);
      const late = await reset(send, token, 'a brand new office password');
      assert.equal(late.statusCode, 400);
      assert.equal(late.json().errors[0].path, '/token');
    } finally {
      harness.clock.now = start;
    }
    const weak = await reset(send, token, 'short');
    assert.equal(weak.statusCode, 400);
    assert.equal(weak.json().errors[0].path, '/password');
    for (const payload of [{ token }, { token, password: 'a brand new office password', extra: 1 }, {}]) {
      const bad = await send({ method: 'POST', url: '/api/v1/password/reset', payload });
      assert.equal(bad.statusCode, 400, JSON.stringify(payload));
    }
    assert.equal((await login('lee@acme.example', OWNER_PASSWORD)).statusCode, 200, 'the password is unchanged');
    const done = await reset(send, token, 'a brand new office password');
    assert.equal(done.statusCode, 200, done.body);
    assert.equal(done.json().user.email, 'lee@acme.example');
  });

  test('one token used by requests fired at once resets once; every session of the user ends', async () => {
    const userId = await newUser('kim@acme.example');
    const session = await signIn(harness, 'kim@acme.example', OWNER_PASSWORD, {
      organizationId: owner.organizationId,
      userId,
    });
    assert.equal((await session.request({ method: 'GET', url: '/api/v1/session' })).statusCode, 200);
    const send = fromAddress();
    await forgot(send, 'kim@acme.example');
    const token = await tokenFromOutbox(harness, 'kim@acme.example', 'reset-password');
    const passwords = ['first racer password', 'second racer password', 'third racer password', 'fourth racer pass'];
    const answers = await Promise.all(passwords.map((password) => reset(send, token, password)));
    const won = answers.flatMap((answer, index) => (answer.statusCode === 200 ? [passwords[index] ?? ''] : []));
    assert.equal(won.length, 1, answers.map((a) => a.statusCode).join(','));
    assert.ok(answers.every((a) => a.statusCode === 200 || a.statusCode === 400));
    assert.equal((await session.request({ method: 'GET', url: '/api/v1/session' })).statusCode, 401, 'ended');
    for (const password of passwords) {
      assert.equal((await login('kim@acme.example', password)).statusCode, password === won[0] ? 200 : 401);
    }
    const audited = await auditEvents(owner.organizationId, 'business.password_reset');
    assert.deepEqual(
      audited.filter((entry) => entry.actorId === userId).map((entry) => entry.actorType),
      ['user'],
    );
  });

  test('at most 3 e-mails an hour to one mailbox, even asked at once; the answer stays the same', async () => {
    await newUser('flood@acme.example');
    const send = fromAddress();
    const answers = await Promise.all(Array.from({ length: 6 }, () => forgot(send, 'flood@acme.example')));
    assert.ok(answers.every((answer) => answer.statusCode === 202));
    assert.equal(new Set(answers.map((answer) => answer.body)).size, 1);
    assert.equal((await mailsTo('flood@acme.example')).length, 3);
    // Only the newest link works: one unused token is left, one of those sent.
    const sent = (await mailsTo('flood@acme.example')).map((mail) => {
      const token = /reset-password#token=([A-Za-z0-9_-]+)/.exec(mail.textBody)?.[1] ?? '';
      return createHash('sha256').update(token).digest('hex');
    });
    const unused = await harness.ctx.db.kysely
      .selectFrom('userPasswordResets')
      .innerJoin('users', 'users.id', 'userPasswordResets.userId')
      .select('tokenHash')
      .where('users.email', '=', 'flood@acme.example')
      .execute();
    assert.equal(unused.length, 1);
    assert.ok(sent.includes(unused[0]?.tokenHash ?? ''));
  });

  test('a locked-out user can still reset; a disabled user gets no e-mail', async () => {
    await newUser('locked@acme.example');
    for (let i = 0; i < 6; i++) await login('locked@acme.example', 'guessing wrongly again');
    assert.equal((await login('locked@acme.example', OWNER_PASSWORD)).statusCode, 429);
    const send = fromAddress();
    await forgot(send, 'locked@acme.example');
    const token = await tokenFromOutbox(harness, 'locked@acme.example', 'reset-password');
    assert.equal((await reset(send, token, 'fresh start after the lockout')).statusCode, 200);
    assert.equal((await login('locked@acme.example', 'fresh start after the lockout')).statusCode, 200);

    const disabledId = await newUser('gone@acme.example');
    const disabled = await owner.request({ method: 'POST', url: `/api/v1/users/${disabledId}/disable` });
    assert.equal(disabled.statusCode, 200, disabled.body);
    assert.equal((await forgot(send, 'gone@acme.example')).statusCode, 202);
    assert.deepEqual(await mailsTo('gone@acme.example'), []);
  });

  test('the same e-mail in two organizations: one link each, each resets its own account only', async () => {
    const other = await createOrgAndSignIn(harness, { name: 'Other Studio', ownerEmail: 'twice@acme.example' });
    await newUser('twice@acme.example');
    const send = fromAddress();
    await forgot(send, 'twice@acme.example');
    const mails = await mailsTo('twice@acme.example');
    assert.deepEqual(
      mails.map((mail) => mail.organizationId).sort(),
      [owner.organizationId, other.organizationId].sort(),
    );
    const token = await tokenFromOutbox(harness, 'twice@acme.example', 'reset-password', other.organizationId);
    const done = await reset(send, token, 'only the other studio changes');
    assert.equal(done.statusCode, 200, done.body);
    assert.equal(done.json().organization.id, other.organizationId);
    const hashes = await harness.ctx.db.kysely
      .selectFrom('users')
      .select(['organizationId', 'passwordHash'])
      .where('email', '=', 'twice@acme.example')
      .execute();
    assert.equal(new Set(hashes.map((row) => row.passwordHash)).size, 2, 'the other account kept its password');
  });
});
