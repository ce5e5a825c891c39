/**
 * SECURITY.md's Authentication and Sessions items that are not covered where the feature lives:
 * password hashing parameters and re-hashing, tokens stored only as hashes, the login redirect, and sessions
 * shared by two server instances on one database.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hash } from '@node-rs/argon2';
import { buildApp } from '../../src/app/app.js';
import type { AppContext } from '../../src/context.js';
import { openDatabase } from '../../src/db/database.js';
import { type Actor, createOrgAndSignIn, type Harness, OWNER_PASSWORD, startHarness } from '../support/harness.js';
import {
  activatedClient,
  CLIENT_PASSWORD,
  customerWithContacts,
  enablePortal,
  portalClient,
} from '../support/portal.js';

const ARGON2ID_19MIB_T2_P1 = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/;

describe('security: hashing, tokens, redirects, several instances', () => {
  let harness: Harness;
  let owner: Actor;
  let slug: string;

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness, { ownerEmail: 'hash-owner@example.com' });
    slug = await enablePortal(owner);
  });
  after(() => harness.close());

  test('passwords are stored as argon2id PHC strings: 19 MiB, 2 iterations, parallelism 1', async () => {
    const { id, contacts } = await customerWithContacts(owner, 'Hashes', ['hash@client.example']);
    await activatedClient(harness, owner, slug, id, contacts['hash@client.example'] ?? '', 'hash@client.example');
    const person = await harness.ctx.db.kysely
      .selectFrom('contactPersons')
      .select('passwordHash')
      .where('email', '=', 'hash@client.example')
      .executeTakeFirstOrThrow();
    assert.match(person.passwordHash ?? '', ARGON2ID_19MIB_T2_P1);
    assert.ok(!(person.passwordHash ?? '').includes(CLIENT_PASSWORD));
    const user = await harness.ctx.db.kysely
      .selectFrom('users')
      .select('passwordHash')
      .where('email', '=', 'hash-owner@example.com')
      .executeTakeFirstOrThrow();
    assert.match(user.passwordHash ?? '', ARGON2ID_19MIB_T2_P1);
  });

  test('a hash made with weaker parameters is upgraded at the next sign-in', async () => {
    const { id, contacts } = await customerWithContacts(owner, 'Rehash', ['rehash@client.example']);
    await activatedClient(harness, owner, slug, id, contacts['rehash@client.example'] ?? '', 'rehash@client.example');
    const weak = await hash(CLIENT_PASSWORD, { algorithm: 2, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await harness.ctx.db.kysely
      .updateTable('contactPersons')
      .set({ passwordHash: weak })
      .where('email', '=', 'rehash@client.example')
      .execute();
    const login = await portalClient(harness, slug).request({
      method: 'POST',
      url: '/session',
      payload: { email: 'rehash@client.example', password: CLIENT_PASSWORD },
    });
    assert.equal(login.statusCode, 200, login.body);
    const after = await harness.ctx.db.kysely
      .selectFrom('contactPersons')
      .select('passwordHash')
      .where('email', '=', 'rehash@client.example')
      .executeTakeFirstOrThrow();
    assert.match(after.passwordHash ?? '', ARGON2ID_19MIB_T2_P1);

    await harness.ctx.db.kysely
      .updateTable('users')
      .set({
        passwordHash: await hash(OWNER_PASSWORD, { algorithm: 2, memoryCost: 4096, timeCost: 1, parallelism: 1 }),
      })
      .where('email', '=', 'hash-owner@example.com')
      .execute();
    const business = await harness.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'hash-owner@example.com', password: OWNER_PASSWORD },
    });
    assert.equal(business.statusCode, 200);
    const user = await harness.ctx.db.kysely
      .selectFrom('users')
      .select('passwordHash')
      .where('email', '=', 'hash-owner@example.com')
      .executeTakeFirstOrThrow();
    assert.match(user.passwordHash ?? '', ARGON2ID_19MIB_T2_P1);
  });

  test('invitation and reset tokens, session ids and API keys are stored only as hashes', async () => {
    const { id, contacts } = await customerWithContacts(owner, 'Tokens', ['tokens@client.example']);
    const contactId = contacts['tokens@client.example'] ?? '';
    await owner.request({
      method: 'POST',
      url: `/api/v1/customers/${id}/contact-persons/${contactId}/portal-invitation`,
    });
    const message = await harness.ctx.db.kysely
      .selectFrom('outboxMessages')
      .select('textBody')
      .where('toAddress', '=', 'tokens@client.example')
      .executeTakeFirstOrThrow();
    const token = /#token=([A-Za-z0-9_-]+)/.exec(message.textBody)?.[1] ?? '';
    assert.ok(token.length >= 43);
    const stored = await harness.ctx.db.kysely
      .selectFrom('accessTokens')
      .select(['tokenHash', 'expiresAt', 'createdAt'])
      .where('contactPersonId', '=', contactId)
      .executeTakeFirstOrThrow();
    assert.notEqual(stored.tokenHash, token);
    assert.match(stored.tokenHash, /^[0-9a-f]{64}$/);
    assert.equal(Date.parse(stored.expiresAt) - Date.parse(stored.createdAt), 7 * 24 * 3_600_000);

    const key = (await owner.request({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'Hashed' } })).json()
      .key as string;
    const keys = await harness.ctx.db.kysely.selectFrom('apiKeys').select('keyHash').execute();
    assert.ok(keys.every((k) => k.keyHash !== key && /^[0-9a-f]{64}$/.test(k.keyHash)));
    const sessions = await harness.ctx.db.kysely.selectFrom('sessions').select('id').execute();
    assert.ok(sessions.length > 0 && sessions.every((s) => /^[0-9a-f]{64}$/.test(s.id)));
  });

  test('after signing in, only a path of the same portal is offered as the place to go', async () => {
    const { id, contacts } = await customerWithContacts(owner, 'Redirects', ['redirect@client.example']);
    await activatedClient(
      harness,
      owner,
      slug,
      id,
      contacts['redirect@client.example'] ?? '',
      'redirect@client.example',
    );
    const signIn = (returnTo: string) =>
      portalClient(harness, slug).request({
        method: 'POST',
        url: '/session',
        payload: { email: 'redirect@client.example', password: CLIENT_PASSWORD, returnTo },
      });
    assert.equal((await signIn(`/portal/${slug}/invoices`)).json().redirectTo, `/portal/${slug}/invoices`);
    for (const attempt of ['https://evil.example/', '//evil.example', '/\\evil.example', '/portal/someone-else/']) {
      assert.equal((await signIn(attempt)).json().redirectTo, `/portal/${slug}/`, attempt);
    }
  });

  test('two server instances on one database share sessions: sign in on one, use and end it on the other', async () => {
    const second = openDatabase(harness.database.url);
    const ctx2: AppContext = { ...harness.ctx, db: second };
    const app2 = await buildApp(ctx2);
    try {
      const { id, contacts } = await customerWithContacts(owner, 'Two instances', ['two@client.example']);
      const client = await activatedClient(
        harness,
        owner,
        slug,
        id,
        contacts['two@client.example'] ?? '',
        'two@client.example',
      );
      const headers = { cookie: client.cookie, 'x-csrf-token': client.csrfToken };
      const onSecond = await app2.inject({ method: 'GET', url: `/api/portal/${slug}/session`, headers });
      assert.equal(onSecond.statusCode, 200, onSecond.body);
      const logout = await app2.inject({ method: 'DELETE', url: `/api/portal/${slug}/session`, headers });
      assert.equal(logout.statusCode, 204);
      assert.equal((await client.request({ method: 'GET', url: '/session' })).statusCode, 401, 'ended for both');

      const business = await app2.inject({ method: 'GET', url: '/api/v1/customers', headers: {} });
      assert.equal(business.statusCode, 401);
      const viaFirst = await owner.request({ method: 'GET', url: '/api/v1/session' });
      assert.equal(viaFirst.statusCode, 200);
    } finally {
      await app2.close();
      await second.close();
    }
  });
});
