import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateRecurringInvoices } from '../../src/jobs/recurring.js';
import { getInvoice } from '../../src/modules/invoices/service.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';

describe('recurring invoice profiles', () => {
  let harness: Harness;
  let owner: Actor;
  let otherOrg: Actor;
  let customerId: string;

  before(async () => {
    harness = await startHarness({ now: '2026-03-15T10:00:00.000Z' });
    owner = await createOrgAndSignIn(harness);
    otherOrg = await createOrgAndSignIn(harness);
    const customer = await owner.request({
      method: 'POST',
      url: '/api/v1/customers',
      payload: { displayName: 'Acme Corp', paymentTermsDays: 15 },
    });
    customerId = customer.json().id;
  });
  after(() => harness.close());

  const template = {
    lines: [
      { name: 'Hosting', quantity: '1', rate: 2500 },
      { name: 'Support hours', description: 'Monthly retainer', quantity: '2.5', rate: 8000 },
    ],
    notes: 'Thank you',
  };

  async function newProfile(overrides: Record<string, unknown> = {}) {
    const response = await owner.request({
      method: 'POST',
      url: '/api/v1/recurring-profiles',
      payload: { customerId, name: 'Hosting', frequency: 'monthly', startDate: '2026-04-01', template, ...overrides },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json();
  }

  const count = async () =>
    (await owner.request({ method: 'GET', url: '/api/v1/recurring-profiles?limit=100' })).json().data.length;

  test('creates a profile: next date is the start date, anchored on its day, with the customer’s terms', async () => {
    const profile = await newProfile({ startDate: '2026-01-31', endDate: '2026-12-31' });
    assert.match(profile.id, /^rec_[0-9a-z]{26}$/);
    assert.equal(profile.status, 'active');
    assert.equal(profile.nextDate, '2026-01-31');
    assert.equal(profile.anchorDay, 31);
    assert.equal(profile.intervalCount, 1);
    assert.equal(profile.paymentTermsDays, 15);
    assert.equal(profile.sendAutomatically, true);
    assert.equal(profile.currency, 'USD');
    assert.equal(profile.customerName, 'Acme Corp');
    assert.equal(profile.lastInvoiceId, null);
    assert.deepEqual(profile.template, template);
    assert.deepEqual(profile.invoices, []);
    assert.equal(profile.invoiceCount, 0);

    const explicit = await newProfile({ paymentTermsDays: 0, sendAutomatically: false, intervalCount: 2 });
    assert.equal(explicit.paymentTermsDays, 0);
    assert.equal(explicit.sendAutomatically, false);
    assert.equal(explicit.intervalCount, 2);

    const noTerms = (
      await owner.request({ method: 'POST', url: '/api/v1/customers', payload: { displayName: 'Termless' } })
    ).json();
    const orgTerms = await newProfile({ customerId: noTerms.id });
    assert.equal(orgTerms.paymentTermsDays, 30);
  });

  test('bad input answers 400 and writes nothing', async () => {
    const before = await count();
    const foreignCustomer = (
      await otherOrg.request({ method: 'POST', url: '/api/v1/customers', payload: { displayName: 'Theirs' } })
    ).json();
    const good = { customerId, name: 'X', frequency: 'monthly', startDate: '2026-04-01', template };
    for (const payload of [
      { ...good, frequency: 'daily' },
      { ...good, intervalCount: 0 },
      { ...good, startDate: '2026-02-30' },
      { ...good, endDate: '2026-03-31' },
      { ...good, paymentTermsDays: -1 },
      { ...good, status: 'stopped' },
      { ...good, nextDate: '2026-05-01' },
      { ...good, customerId: foreignCustomer.id },
      { ...good, template: { ...template, lines: [] } },
      { ...good, template: { ...template, lines: [{ name: 'X', quantity: '0', rate: 1 }] } },
      { ...good, template: { ...template, lines: [{ name: 'X', quantity: '1', rate: 1.5 }] } },
      { ...good, template: { ...template, lines: [{ name: 'X', quantity: '1', rate: 1, taxId: 'tax_x' }] } },
      {
        ...good,
        template: {
          ...template,
          lines: [{ name: 'X', quantity: '1', rate: 1, taxId: 'tax_00000000000000000000000000' }],
        },
      },
      { ...good, template: { ...template, discount: { type: 'amount', value: 999_999 } } },
      { ...good, template: { ...template, total: 5 } },
      { ...good, template: undefined },
    ]) {
      const response = await owner.request({ method: 'POST', url: '/api/v1/recurring-profiles', payload });
      assert.equal(response.statusCode, 400, `${JSON.stringify(payload)} → ${response.body}`);
      assert.equal(response.json().code, 'validation_failed');
    }
    const discount = await owner.request({
      method: 'POST',
      url: '/api/v1/recurring-profiles',
      payload: { ...good, template: { ...template, discount: { type: 'amount', value: 999_999 } } },
    });
    assert.match(discount.json().errors[0].path, /^\/template\/discount/);
    assert.equal(await count(), before);
  });

  test('lists by customer and status with a cursor', async () => {
    const other = (
      await owner.request({ method: 'POST', url: '/api/v1/customers', payload: { displayName: 'Other' } })
    ).json();
    const names = ['Plan C', 'Plan A', 'Plan B'];
    for (const name of names) await newProfile({ customerId: other.id, name });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = (
        await owner.request({
          method: 'GET',
          url: `/api/v1/recurring-profiles?customerId=${other.id}&limit=2${query}`,
        })
      ).json();
      seen.push(...page.data.map((p: { name: string }) => p.name));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, ['Plan A', 'Plan B', 'Plan C']);
    const stopped = (
      await owner.request({ method: 'GET', url: `/api/v1/recurring-profiles?customerId=${other.id}&status=stopped` })
    ).json();
    assert.deepEqual(stopped.data, []);
    const bad = await owner.request({ method: 'GET', url: '/api/v1/recurring-profiles?status=paused' });
    assert.equal(bad.statusCode, 400);
  });

  test('updates a profile; the start date moves the schedule until the first invoice', async () => {
    const profile = await newProfile();
    const patched = await owner.request({
      method: 'PATCH',
      url: `/api/v1/recurring-profiles/${profile.id}`,
      payload: {
        name: 'Hosting+',
        startDate: '2026-05-30',
        template: { lines: [{ name: 'Hosting', quantity: '1', rate: 3000 }] },
        sendAutomatically: false,
      },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    const body = patched.json();
    assert.equal(body.name, 'Hosting+');
    assert.equal(body.nextDate, '2026-05-30');
    assert.equal(body.anchorDay, 30);
    assert.equal(body.sendAutomatically, false);
    assert.deepEqual(body.template, { lines: [{ name: 'Hosting', quantity: '1', rate: 3000 }] });
    for (const payload of [{}, { customerId }, { endDate: '2026-05-01' }, { template: { lines: [] } }]) {
      const bad = await owner.request({ method: 'PATCH', url: `/api/v1/recurring-profiles/${profile.id}`, payload });
      assert.equal(bad.statusCode, 400, JSON.stringify(payload));
    }
  });

  test('stop and resume go through the state machine; resume skips to the first date from today', async () => {
    const profile = await newProfile({ startDate: '2026-01-31' });
    const stopped = await owner.request({ method: 'POST', url: `/api/v1/recurring-profiles/${profile.id}/stop` });
    assert.equal(stopped.statusCode, 200, stopped.body);
    assert.equal(stopped.json().status, 'stopped');
    assert.equal(stopped.json().nextDate, '2026-01-31');
    const again = await owner.request({ method: 'POST', url: `/api/v1/recurring-profiles/${profile.id}/stop` });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'invalid_transition');
    const resumed = await owner.request({ method: 'POST', url: `/api/v1/recurring-profiles/${profile.id}/resume` });
    assert.equal(resumed.statusCode, 200);
    assert.equal(resumed.json().status, 'active');
    // Today is 2026-03-15: Jan 31 → Feb 28 → Mar 31, keeping the 31st.
    assert.equal(resumed.json().nextDate, '2026-03-31');
    const resumeActive = await owner.request({
      method: 'POST',
      url: `/api/v1/recurring-profiles/${profile.id}/resume`,
    });
    assert.equal(resumeActive.statusCode, 409);
  });

  test('resuming past the end date expires the profile, and an expired profile is finished', async () => {
    const profile = await newProfile({ startDate: '2026-01-10', endDate: '2026-03-01', frequency: 'weekly' });
    await owner.request({ method: 'POST', url: `/api/v1/recurring-profiles/${profile.id}/stop` });
    const resumed = await owner.request({ method: 'POST', url: `/api/v1/recurring-profiles/${profile.id}/resume` });
    assert.equal(resumed.statusCode, 200);
    assert.equal(resumed.json().status, 'expired');
    assert.equal(resumed.json().nextDate, null);
    for (const action of ['stop', 'resume']) {
      const refused = await owner.request({
        method: 'POST',
        url: `/api/v1/recurring-profiles/${profile.id}/${action}`,
      });
      assert.equal(refused.statusCode, 409, action);
    }
    const patch = await owner.request({
      method: 'PATCH',
      url: `/api/v1/recurring-profiles/${profile.id}`,
      payload: { endDate: '2027-01-01' },
    });
    assert.equal(patch.statusCode, 409);
  });

  test('delete is soft: the profile disappears from the API but its row stays', async () => {
    const profile = await newProfile({ name: 'To delete' });
    const removed = await owner.request({ method: 'DELETE', url: `/api/v1/recurring-profiles/${profile.id}` });
    assert.equal(removed.statusCode, 204);
    assert.equal(
      (await owner.request({ method: 'GET', url: `/api/v1/recurring-profiles/${profile.id}` })).statusCode,
      404,
    );
    const listed = (await owner.request({ method: 'GET', url: '/api/v1/recurring-profiles?q=delete' })).json();
    assert.deepEqual(listed.data, []);
    const row = await harness.ctx.db.kysely
      .selectFrom('recurringProfiles')
      .select(['deletedAt', 'status'])
      .where('id', '=', profile.id)
      .executeTakeFirstOrThrow();
    assert.ok(row.deletedAt);
    const twice = await owner.request({ method: 'DELETE', url: `/api/v1/recurring-profiles/${profile.id}` });
    assert.equal(twice.statusCode, 404);
  });

  test("another organization's profile answers 404 on every route, like a missing one", async () => {
    const profile = await newProfile({ name: 'Mine' });
    const p = `/api/v1/recurring-profiles/${profile.id}`;
    const missing = 'rec_00000000000000000000000000';
    const routes: Array<{ method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: object }> = [
      { method: 'GET', url: p },
      { method: 'PATCH', url: p, payload: { name: 'Stolen' } },
      { method: 'POST', url: `${p}/stop` },
      { method: 'POST', url: `${p}/resume` },
      { method: 'DELETE', url: p },
    ];
    for (const route of routes) {
      const foreign = await otherOrg.request(route);
      assert.equal(foreign.statusCode, 404, `${route.method} ${route.url}`);
      const absent = await otherOrg.request({ ...route, url: route.url.replace(profile.id, missing) });
      assert.deepEqual(foreign.json(), absent.json());
    }
    const theirs = (await otherOrg.request({ method: 'GET', url: '/api/v1/recurring-profiles' })).json();
    assert.deepEqual(theirs.data, []);
    const still = (await owner.request({ method: 'GET', url: p })).json();
    assert.equal(still.name, 'Mine');
    assert.equal(still.status, 'active');
  });
});

describe('generating recurring invoices', () => {
  let harness: Harness;
  let owner: Actor;
  let customerId: string;

  before(async () => {
    harness = await startHarness({ now: '2026-01-20T10:00:00.000Z' });
    owner = await withApiKey(await createOrgAndSignIn(harness));
    const customer = await owner.request({
      method: 'POST',
      url: '/api/v1/customers',
      payload: { displayName: 'Subscriber', paymentTermsDays: 15 },
    });
    customerId = customer.json().id;
  });
  after(() => harness.close());

  const template = {
    lines: [
      { name: 'Hosting', quantity: '1', rate: 2500 },
      { name: 'Support hours', description: 'Monthly retainer', quantity: '2.5', rate: 8000 },
    ],
    notes: 'Thank you',
    terms: 'Net 15',
  };

  /** The clock jumps months ahead, past any session's lifetime: these requests use an API key instead. */
  async function withApiKey(actor: Actor): Promise<Actor> {
    const created = await actor.request({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'Jobs test' } });
    assert.equal(created.statusCode, 201, created.body);
    const authorization = `Bearer ${created.json().key}`;
    return {
      ...actor,
      request: (options) => harness.app.inject({ ...options, headers: { ...(options.headers ?? {}), authorization } }),
    };
  }

  const at = (date: string) => {
    harness.clock.now = new Date(`${date}T10:00:00.000Z`);
  };
  const run = () => generateRecurringInvoices(harness.ctx);

  async function newProfile(overrides: Record<string, unknown> = {}) {
    const response = await owner.request({
      method: 'POST',
      url: '/api/v1/recurring-profiles',
      payload: {
        customerId,
        name: 'Plan',
        frequency: 'monthly',
        startDate: '2026-01-31',
        sendAutomatically: false,
        template,
        ...overrides,
      },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json();
  }

  async function invoiceCount() {
    const row = await harness.ctx.db.kysely
      .selectFrom('invoices')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  const detail = async (id: string) =>
    (await owner.request({ method: 'GET', url: `/api/v1/recurring-profiles/${id}` })).json();
  const issueDates = async (id: string) =>
    (await detail(id)).invoices.map((i: { issueDate: string }) => i.issueDate).sort();

  test('one invoice per period, keeping month-end dates: Jan 31 → Feb 28 → Mar 31', async () => {
    at('2026-01-20');
    const profile = await newProfile();
    assert.deepEqual((await run()).invoiceIds, []);

    at('2026-01-31');
    const first = await run();
    assert.equal(first.invoiceIds.length, 1);
    assert.deepEqual(first.failures, []);
    let current = await detail(profile.id);
    assert.equal(current.nextDate, '2026-02-28');
    assert.equal(current.lastInvoiceId, first.invoiceIds[0]);
    assert.equal(current.invoiceCount, 1);
    assert.deepEqual((await run()).invoiceIds, [], 'a second run the same day creates nothing');

    const scope = { organizationId: owner.organizationId, userId: null, role: 'owner', via: 'api_key' } as const;
    const invoice = await getInvoice(harness.ctx, scope, first.invoiceIds[0] ?? '');
    assert.equal(invoice.status, 'draft');
    assert.equal(invoice.issueDate, '2026-01-31');
    assert.equal(invoice.dueDate, '2026-02-15');
    assert.equal(invoice.recurringProfileId, profile.id);
    assert.equal(invoice.customer.id, customerId);
    assert.equal(invoice.notes, 'Thank you');
    assert.equal(invoice.terms, 'Net 15');
    assert.deepEqual(
      invoice.lines.map((l) => [l.name, l.quantity, l.rate, l.amount]),
      [
        ['Hosting', '1', 2500, 2500],
        ['Support hours', '2.5', 8000, 20000],
      ],
    );
    assert.equal(invoice.total, 22500);

    at('2026-02-27');
    assert.deepEqual((await run()).invoiceIds, []);
    at('2026-02-28');
    assert.equal((await run()).invoiceIds.length, 1);
    at('2026-03-31');
    assert.equal((await run()).invoiceIds.length, 1);
    current = await detail(profile.id);
    assert.equal(current.nextDate, '2026-04-30');
    assert.deepEqual(await issueDates(profile.id), ['2026-01-31', '2026-02-28', '2026-03-31']);
    assert.deepEqual(
      current.invoices.map((i: { dueDate: string }) => i.dueDate),
      ['2026-04-15', '2026-03-15', '2026-02-15'],
    );
    assert.equal(current.status, 'active');
  });

  test('catches up on missed periods, one invoice each, and sends them when the profile says so', async () => {
    at('2026-01-01');
    const profile = await newProfile({ frequency: 'weekly', startDate: '2026-01-01', sendAutomatically: true });
    at('2026-01-29');
    const result = await run();
    assert.deepEqual(result.failures, []);
    assert.deepEqual(await issueDates(profile.id), [
      '2026-01-01',
      '2026-01-08',
      '2026-01-15',
      '2026-01-22',
      '2026-01-29',
    ]);
    const current = await detail(profile.id);
    assert.equal(current.nextDate, '2026-02-05');
    const statuses = Object.fromEntries(
      current.invoices.map((i: { issueDate: string; status: string }) => [i.issueDate, i.status]),
    );
    // Sent on generation; those whose due date has already passed are overdue at once.
    assert.equal(statuses['2026-01-29'], 'sent');
    assert.equal(statuses['2026-01-15'], 'sent');
    assert.equal(statuses['2026-01-08'], 'overdue');
    assert.equal(statuses['2026-01-01'], 'overdue');
  });

  test('every other month with a quarterly and yearly rhythm', async () => {
    at('2026-01-15');
    const bimonthly = await newProfile({ startDate: '2026-01-15', intervalCount: 2 });
    const quarterly = await newProfile({ startDate: '2026-01-15', frequency: 'quarterly' });
    const yearly = await newProfile({ startDate: '2025-02-28', frequency: 'yearly' });
    at('2026-07-15');
    await run();
    assert.deepEqual(await issueDates(bimonthly.id), ['2026-01-15', '2026-03-15', '2026-05-15', '2026-07-15']);
    assert.deepEqual(await issueDates(quarterly.id), ['2026-01-15', '2026-04-15', '2026-07-15']);
    assert.deepEqual(await issueDates(yearly.id), ['2025-02-28', '2026-02-28']);
  });

  test('a stopped or deleted profile creates nothing; resuming starts from today, not from the missed periods', async () => {
    at('2026-01-20');
    const stopped = await newProfile({ startDate: '2026-02-01' });
    const deleted = await newProfile({ startDate: '2026-02-01' });
    await owner.request({ method: 'POST', url: `/api/v1/recurring-profiles/${stopped.id}/stop` });
    await owner.request({ method: 'DELETE', url: `/api/v1/recurring-profiles/${deleted.id}` });
    at('2026-04-10');
    await run();
    assert.deepEqual(await issueDates(stopped.id), []);
    const deletedInvoices = await harness.ctx.db.kysely
      .selectFrom('invoices')
      .select('id')
      .where('recurringProfileId', '=', deleted.id)
      .execute();
    assert.deepEqual(deletedInvoices, []);

    const resumed = await owner.request({ method: 'POST', url: `/api/v1/recurring-profiles/${stopped.id}/resume` });
    assert.equal(resumed.json().nextDate, '2026-05-01');
    await run();
    assert.deepEqual(await issueDates(stopped.id), []);
    at('2026-05-01');
    await run();
    assert.deepEqual(await issueDates(stopped.id), ['2026-05-01']);
  });

  test("a deleted customer's profile stops instead of invoicing", async () => {
    at('2026-10-01');
    const gone = (
      await owner.request({ method: 'POST', url: '/api/v1/customers', payload: { displayName: 'Leaving' } })
    ).json();
    const profile = await newProfile({ customerId: gone.id, startDate: '2026-10-05' });
    assert.equal((await owner.request({ method: 'DELETE', url: `/api/v1/customers/${gone.id}` })).statusCode, 204);
    at('2026-10-05');
    const result = await run();
    assert.deepEqual(result.stoppedProfileIds, [profile.id]);
    assert.deepEqual(result.failures, []);
    const row = await harness.ctx.db.kysely
      .selectFrom('recurringProfiles')
      .select(['status', 'nextDate'])
      .where('id', '=', profile.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'stopped', nextDate: '2026-10-05' });
    const invoices = await harness.ctx.db.kysely
      .selectFrom('invoices')
      .select('id')
      .where('recurringProfileId', '=', profile.id)
      .execute();
    assert.deepEqual(invoices, []);
  });

  test('the profile expires when its next date passes the end date', async () => {
    at('2026-01-05');
    const profile = await newProfile({ startDate: '2026-01-10', endDate: '2026-03-10' });
    at('2026-02-10');
    await run();
    assert.equal((await detail(profile.id)).status, 'active');
    at('2026-03-20');
    const result = await run();
    assert.deepEqual(result.expiredProfileIds, [profile.id]);
    const current = await detail(profile.id);
    assert.equal(current.status, 'expired');
    assert.equal(current.nextDate, null);
    assert.deepEqual(await issueDates(profile.id), ['2026-01-10', '2026-02-10', '2026-03-10']);
    at('2026-06-20');
    await run();
    assert.equal((await detail(profile.id)).invoiceCount, 3);

    // An end date moved before the next invoice finishes the schedule at once.
    const shortened = await newProfile({ startDate: '2026-06-25' });
    const patched = await owner.request({
      method: 'PATCH',
      url: `/api/v1/recurring-profiles/${shortened.id}`,
      payload: { startDate: '2026-06-01', endDate: '2026-06-01' },
    });
    assert.equal(patched.json().nextDate, '2026-06-01');
    await run();
    const done = await detail(shortened.id);
    assert.equal(done.status, 'expired');
    assert.deepEqual(await issueDates(shortened.id), ['2026-06-01']);
    const tooLate = await owner.request({
      method: 'PATCH',
      url: `/api/v1/recurring-profiles/${shortened.id}`,
      payload: { name: 'Renamed' },
    });
    assert.equal(tooLate.statusCode, 409);
  });

  test('the start date cannot move once invoices exist', async () => {
    at('2026-07-01');
    const profile = await newProfile({ startDate: '2026-07-01' });
    await run();
    const moved = await owner.request({
      method: 'PATCH',
      url: `/api/v1/recurring-profiles/${profile.id}`,
      payload: { startDate: '2026-07-05' },
    });
    assert.equal(moved.statusCode, 409);
    const renamed = await owner.request({
      method: 'PATCH',
      url: `/api/v1/recurring-profiles/${profile.id}`,
      payload: { name: 'Renamed', frequency: 'weekly' },
    });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal(renamed.json().nextDate, '2026-08-01');
  });

  test("judges 'today' in the organization's time zone", async () => {
    const auckland = await withApiKey(
      await createOrgAndSignIn(harness, { timeZone: 'Pacific/Auckland', baseCurrency: 'NZD' }),
    );
    const client = (
      await auckland.request({ method: 'POST', url: '/api/v1/customers', payload: { displayName: 'Kiwi' } })
    ).json();
    harness.clock.now = new Date('2026-08-01T00:00:00.000Z');
    const kiwi = (
      await auckland.request({
        method: 'POST',
        url: '/api/v1/recurring-profiles',
        payload: { customerId: client.id, name: 'NZ', frequency: 'monthly', startDate: '2026-08-02', template },
      })
    ).json();
    const local = await newProfile({ startDate: '2026-08-02' });
    // 2026-08-01 12:00 UTC is already 2026-08-02 in Auckland (UTC+12), still 2026-08-01 in UTC.
    harness.clock.now = new Date('2026-08-01T12:00:00.000Z');
    await run();
    const kiwiDetail = (await auckland.request({ method: 'GET', url: `/api/v1/recurring-profiles/${kiwi.id}` })).json();
    assert.equal(kiwiDetail.invoiceCount, 1);
    assert.equal(kiwiDetail.currency, 'NZD');
    assert.equal((await detail(local.id)).invoiceCount, 0);
  });

  test('runs of the job at the same time create each period once', async () => {
    at('2026-09-01');
    const profiles = [];
    for (const frequency of ['weekly', 'weekly', 'monthly']) {
      profiles.push(
        await newProfile({ frequency, startDate: '2026-09-01', sendAutomatically: frequency === 'weekly' }),
      );
    }
    at('2026-11-30');
    const invoicesBefore = await invoiceCount();
    const results = await Promise.all([run(), run(), run()]);
    for (const result of results) assert.deepEqual(result.failures, []);
    const created = results.flatMap((r) => r.invoiceIds);
    assert.equal(new Set(created).size, created.length);
    const weekly = await issueDates(profiles[0].id);
    assert.equal(weekly.length, 13);
    assert.equal(new Set(weekly).size, 13);
    assert.deepEqual(await issueDates(profiles[1].id), weekly);
    assert.deepEqual(await issueDates(profiles[2].id), ['2026-09-01', '2026-10-01', '2026-11-01']);
    // Other tests' profiles caught up too: every invoice written was reported by exactly one run.
    assert.equal(created.length, (await invoiceCount()) - invoicesBefore);
    const numbers = await harness.ctx.db.kysely
      .selectFrom('invoices')
      .select('number')
      .where('organizationId', '=', owner.organizationId)
      .execute();
    assert.equal(new Set(numbers.map((n) => n.number)).size, numbers.length);
  });
});
