import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { TOTP } from 'otpauth';
import { type SchedulerLogger, startScheduler } from '../../src/jobs/scheduler.js';
import { type Actor, createOrgAndSignIn, type Harness, OWNER_PASSWORD, startHarness } from '../support/harness.js';

/**
 * The scheduler removes what second factors leave behind once it can no longer be used (docs/second-factors.md):
 * pending sign-ins after 5 minutes, passkey enrolment challenges and unconfirmed authenticator-app set-ups after
 * 15; what may still be used stays, and still works. Through HTTP and the scheduler on a fresh database.
 */
describe('pruning expired second-factor steps', () => {
  let harness: Harness;
  let owner: Actor;
  const EMAIL = 'pruning-owner@example.com';
  const quiet: SchedulerLogger = { error: () => {}, info: () => {} };
  const minutesLater = (minutes: number) => {
    harness.clock.now = new Date(harness.clock.now.getTime() + minutes * 60_000);
  };
  const api = (options: InjectOptions) => owner.request({ ...options, url: `/api/v1${options.url}` });
  const signInWithPassword = () =>
    harness.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: EMAIL, password: OWNER_PASSWORD },
    });
  const rows = async () => {
    const db = harness.ctx.db.kysely;
    const challenges = await db.selectFrom('secondFactorChallenges').select(['id', 'purpose']).execute();
    const setUps = await db.selectFrom('secondFactors').select('id').where('confirmedAt', 'is', null).execute();
    return {
      signIns: challenges.filter((row) => row.purpose === 'sign_in').length,
      enrolments: challenges.filter((row) => row.purpose === 'passkey_enrolment').length,
      setUps: setUps.length,
    };
  };
  const runJobs = async () => {
    const scheduler = startScheduler(harness.ctx, { intervalMs: 3_600_000, logger: quiet });
    await scheduler.runNow();
    await scheduler.stop();
  };

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness, { ownerEmail: EMAIL });
  });
  after(() => harness.close());

  test('expired pending sign-ins, passkey challenges and app set-ups go; live ones stay and still work', async () => {
    // The owner confirms an authenticator app, so a password sign-in is a pending one.
    const started = await api({ method: 'POST', url: '/second-factors/totp', payload: {} });
    assert.equal(started.statusCode, 201, started.body);
    const { id, secret } = started.json();
    const totp = new TOTP({ secret, algorithm: 'SHA1', digits: 6, period: 30 });
    const code = () => totp.generate({ timestamp: harness.clock.now.getTime() });
    const confirmed = await api({
      method: 'POST',
      url: `/second-factors/totp/${id}/confirm`,
      payload: { code: code() },
    });
    assert.equal(confirmed.statusCode, 200, confirmed.body);

    // Left behind: two pending sign-ins, a passkey enrolment's challenge, an app set-up never confirmed.
    for (let i = 0; i < 2; i += 1) assert.equal((await signInWithPassword()).statusCode, 202);
    assert.equal((await api({ method: 'POST', url: '/second-factors/passkeys/options', payload: {} })).statusCode, 200);
    assert.equal((await api({ method: 'POST', url: '/second-factors/totp', payload: {} })).statusCode, 201);
    assert.deepEqual(await rows(), { signIns: 2, enrolments: 1, setUps: 1 });

    // 6 minutes on: the pending sign-ins have expired; the enrolments have 9 minutes left.
    minutesLater(6);
    const live = await signInWithPassword();
    assert.equal(live.statusCode, 202, live.body);
    await runJobs();
    assert.deepEqual(await rows(), { signIns: 1, enrolments: 1, setUps: 1 });

    // The pending sign-in that stayed still completes (a step later than the code that confirmed the app).
    minutesLater(0.5);
    const completed = await harness.app.inject({
      method: 'POST',
      url: '/api/v1/session/second-factor',
      payload: { token: live.json().secondFactor.token, method: 'totp', code: code() },
    });
    assert.equal(completed.statusCode, 200, completed.body);
    assert.deepEqual(await rows(), { signIns: 0, enrolments: 1, setUps: 1 });

    // 16 minutes after they started: the enrolment's challenge and the unconfirmed set-up go; the app stays.
    minutesLater(10);
    await runJobs();
    assert.deepEqual(await rows(), { signIns: 0, enrolments: 0, setUps: 0 });
    const factors = await harness.ctx.db.kysely.selectFrom('secondFactors').select('id').execute();
    assert.deepEqual(
      factors.map((row) => row.id),
      [id],
    );
  });
});
