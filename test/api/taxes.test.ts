import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Actor, createOrgAndSignIn, type Harness, signIn, startHarness } from '../support/harness.js';

interface Tax {
  id: string;
  name: string;
  rate: string;
  isDefault: boolean;
}

describe('taxes', () => {
  let harness: Harness;
  let owner: Actor;
  let staff: Actor;
  let otherOrg: Actor;

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness);
    otherOrg = await createOrgAndSignIn(harness);
    const password = 'staff password that is long';
    const created = await owner.request({
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: 'staff-taxes@example.com', name: 'Sam Staff', role: 'staff', password },
    });
    assert.equal(created.statusCode, 201, created.body);
    staff = await signIn(harness, 'staff-taxes@example.com', password, {
      organizationId: owner.organizationId,
      userId: created.json().id,
    });
  });
  after(() => harness.close());

  const list = async (actor: Actor): Promise<Tax[]> => {
    const response = await actor.request({ method: 'GET', url: '/api/v1/taxes?limit=100' });
    assert.equal(response.statusCode, 200, response.body);
    return response.json().data;
  };
  const create = async (actor: Actor, payload: Record<string, unknown>) => {
    const response = await actor.request({ method: 'POST', url: '/api/v1/taxes', payload });
    assert.equal(response.statusCode, 201, response.body);
    return response.json() as Tax;
  };

  test('creates taxes with the rate in canonical spelling; lists them by name', async () => {
    const vat = await create(owner, { name: 'VAT', rate: '20.00' });
    assert.match(vat.id, /^tax_[0-9a-z]{26}$/);
    assert.equal(vat.rate, '20');
    assert.equal(vat.isDefault, false);
    const reduced = await create(owner, { name: 'Reduced VAT', rate: '5.5' });
    assert.equal(reduced.rate, '5.5');
    assert.deepEqual(
      (await list(owner)).map((t) => [t.name, t.rate]),
      [
        ['Reduced VAT', '5.5'],
        ['VAT', '20'],
      ],
    );
    const one = await owner.request({ method: 'GET', url: `/api/v1/taxes/${vat.id}` });
    assert.equal(one.statusCode, 200);
    assert.equal(one.json().name, 'VAT');
  });

  test('exactly one default: isDefault on create, on update and the default action each move it', async () => {
    const a = await create(owner, { name: 'Default A', rate: '7', isDefault: true });
    assert.equal(a.isDefault, true);
    const b = await create(owner, { name: 'Default B', rate: '8', isDefault: true });
    assert.equal(b.isDefault, true);
    let defaults = (await list(owner)).filter((t) => t.isDefault);
    assert.deepEqual(
      defaults.map((t) => t.id),
      [b.id],
    );

    const patched = await owner.request({
      method: 'PATCH',
      url: `/api/v1/taxes/${a.id}`,
      payload: { isDefault: true },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    defaults = (await list(owner)).filter((t) => t.isDefault);
    assert.deepEqual(
      defaults.map((t) => t.id),
      [a.id],
    );

    const marked = await owner.request({ method: 'POST', url: `/api/v1/taxes/${b.id}/default` });
    assert.equal(marked.statusCode, 200, marked.body);
    assert.equal(marked.json().isDefault, true);
    defaults = (await list(owner)).filter((t) => t.isDefault);
    assert.deepEqual(
      defaults.map((t) => t.id),
      [b.id],
    );

    // Concurrent "make default" requests still leave exactly one default.
    await Promise.all(
      [a.id, b.id, a.id, b.id, a.id].map((id) => owner.request({ method: 'POST', url: `/api/v1/taxes/${id}/default` })),
    );
    assert.equal((await list(owner)).filter((t) => t.isDefault).length, 1);

    // Un-defaulting the default leaves the organization without one.
    const current = (await list(owner)).find((t) => t.isDefault);
    assert.ok(current);
    await owner.request({ method: 'PATCH', url: `/api/v1/taxes/${current.id}`, payload: { isDefault: false } });
    assert.equal((await list(owner)).filter((t) => t.isDefault).length, 0);
  });

  test('updates name and rate; deleting is soft and hides the tax (and its default flag)', async () => {
    const gst = await create(owner, { name: 'GST', rate: '10', isDefault: true });
    const renamed = await owner.request({
      method: 'PATCH',
      url: `/api/v1/taxes/${gst.id}`,
      payload: { name: 'GST (AU)', rate: '10.0000' },
    });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal(renamed.json().name, 'GST (AU)');
    assert.equal(renamed.json().rate, '10');

    const removed = await owner.request({ method: 'DELETE', url: `/api/v1/taxes/${gst.id}` });
    assert.equal(removed.statusCode, 204);
    assert.equal((await owner.request({ method: 'GET', url: `/api/v1/taxes/${gst.id}` })).statusCode, 404);
    assert.ok(!(await list(owner)).some((t) => t.id === gst.id));
    const row = await harness.ctx.db.kysely
      .selectFrom('taxes')
      .select(['deletedAt', 'isDefault'])
      .where('id', '=', gst.id)
      .executeTakeFirstOrThrow();
    assert.ok(row.deletedAt);
    assert.equal(row.isDefault, 0);
    const again = await owner.request({ method: 'DELETE', url: `/api/v1/taxes/${gst.id}` });
    assert.equal(again.statusCode, 404);
    const patchDeleted = await owner.request({
      method: 'PATCH',
      url: `/api/v1/taxes/${gst.id}`,
      payload: { name: 'Back' },
    });
    assert.equal(patchDeleted.statusCode, 404);
  });

  test('paginates with a cursor', async () => {
    for (const name of ['Page 1', 'Page 2', 'Page 3']) await create(owner, { name, rate: '1' });
    const all = await list(owner);
    const seen: Tax[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const url: string = `/api/v1/taxes?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await owner.request({ method: 'GET', url })).json();
      seen.push(...page.data);
      cursor = page.nextCursor;
    }
    assert.deepEqual(
      seen.map((t) => t.id),
      all.map((t) => t.id),
    );
  });

  test('bad input answers 400 and writes nothing', async () => {
    const before = (await list(owner)).length;
    for (const payload of [
      {},
      { name: 'X' },
      { name: '', rate: '5' },
      { name: 'X', rate: 5 },
      { name: 'X', rate: '-5' },
      { name: 'X', rate: '1e3' },
      { name: 'X', rate: '5.12345' },
      { name: 'X', rate: '1000.5' },
      { name: 'X', rate: '5', organizationId: owner.organizationId },
      { name: 'X', rate: '5', isDefault: 'yes' },
    ]) {
      const response = await owner.request({ method: 'POST', url: '/api/v1/taxes', payload });
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      assert.equal(response.json().code, 'validation_failed');
    }
    const tax = (await list(owner))[0];
    assert.ok(tax);
    for (const payload of [{}, { rate: 'abc' }, { unknown: 1 }]) {
      const response = await owner.request({ method: 'PATCH', url: `/api/v1/taxes/${tax.id}`, payload });
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
    }
    assert.equal((await list(owner)).length, before);
  });

  test('staff may read taxes but not change them', async () => {
    const tax = await create(owner, { name: 'Staff visible', rate: '3' });
    assert.ok((await list(staff)).some((t) => t.id === tax.id));
    assert.equal((await staff.request({ method: 'GET', url: `/api/v1/taxes/${tax.id}` })).statusCode, 200);
    const attempts = [
      { method: 'POST' as const, url: '/api/v1/taxes', payload: { name: 'Nope', rate: '1' } },
      { method: 'PATCH' as const, url: `/api/v1/taxes/${tax.id}`, payload: { name: 'Nope' } },
      { method: 'POST' as const, url: `/api/v1/taxes/${tax.id}/default` },
      { method: 'DELETE' as const, url: `/api/v1/taxes/${tax.id}` },
    ];
    for (const attempt of attempts) {
      const response = await staff.request(attempt);
      assert.equal(response.statusCode, 403, `${attempt.method} ${attempt.url}`);
      assert.equal(response.json().code, 'forbidden');
    }
    const still = (await owner.request({ method: 'GET', url: `/api/v1/taxes/${tax.id}` })).json();
    assert.equal(still.name, 'Staff visible');
    assert.equal(still.isDefault, false);
  });

  test("another organization's tax answers 404 on every route and is not listed", async () => {
    const tax = await create(owner, { name: 'Private', rate: '9' });
    const missing = await otherOrg.request({ method: 'GET', url: '/api/v1/taxes/tax_00000000000000000000000000' });
    assert.equal(missing.statusCode, 404);
    const attempts = [
      { method: 'GET' as const, url: `/api/v1/taxes/${tax.id}` },
      { method: 'PATCH' as const, url: `/api/v1/taxes/${tax.id}`, payload: { name: 'Stolen' } },
      { method: 'POST' as const, url: `/api/v1/taxes/${tax.id}/default` },
      { method: 'DELETE' as const, url: `/api/v1/taxes/${tax.id}` },
    ];
    for (const attempt of attempts) {
      const response = await otherOrg.request(attempt);
      assert.equal(response.statusCode, 404, `${attempt.method} ${attempt.url}`);
      assert.deepEqual(response.json(), missing.json());
    }
    assert.equal((await list(otherOrg)).length, 0);
    const still = (await owner.request({ method: 'GET', url: `/api/v1/taxes/${tax.id}` })).json();
    assert.equal(still.name, 'Private');
    assert.equal(still.isDefault, false);
  });
});
