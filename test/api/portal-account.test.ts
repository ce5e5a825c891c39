import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import { activatedClient, customerWithContacts, enablePortal, type PortalClient } from '../support/portal.js';

describe('portal: my account (allow-listed profile updates)', () => {
  let harness: Harness;
  let owner: Actor;
  let slug: string;
  let client: PortalClient;
  let customerId: string;
  let neighbourId: string;

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness);
    slug = await enablePortal(owner);
    const mine = await customerWithContacts(owner, 'Mine Ltd', ['me@client.example', 'colleague@client.example']);
    customerId = mine.id;
    client = await activatedClient(
      harness,
      owner,
      slug,
      mine.id,
      mine.contacts['me@client.example'] ?? '',
      'me@client.example',
    );
    neighbourId = (await customerWithContacts(owner, 'Neighbour', ['n@client.example'])).id;
  });
  after(() => harness.close());

  const customer = async (id: string) =>
    (await owner.request({ method: 'GET', url: `/api/v1/customers/${id}` })).json();

  test('shows my details and my company', async () => {
    const account = (await client.request({ method: 'GET', url: '/account' })).json();
    assert.equal(account.contactPerson.email, 'me@client.example');
    assert.equal(account.customer.id, customerId);
    assert.equal(account.canEdit, true);
  });

  test('changes the allowed fields, audited', async () => {
    const response = await client.request({
      method: 'PATCH',
      url: '/account',
      payload: {
        contactPerson: { firstName: 'Mia', lastName: 'Client', phone: '+1 555 0100' },
        customer: { companyName: 'Mine Limited', billingAddress: { street1: '2 New Street', city: 'Leeds' } },
      },
    });
    assert.equal(response.statusCode, 200, response.body);
    const saved = await customer(customerId);
    assert.equal(saved.companyName, 'Mine Limited');
    assert.deepEqual(saved.billingAddress, { street1: '2 New Street', city: 'Leeds' });
    const me = saved.contactPersons.find((p: { email: string }) => p.email === 'me@client.example');
    assert.equal(me.firstName, 'Mia');
    assert.equal(me.phone, '+1 555 0100');
    const log = (await owner.request({ method: 'GET', url: '/api/v1/audit-log?event=portal.details_changed' })).json();
    assert.equal(log.data.length, 1);
  });

  test('the e-mail and the audit entry name only what really changed; an unchanged form records nothing', async () => {
    const account = (await client.request({ method: 'GET', url: '/account' })).json();
    const { id: _person, email: _email, ...person } = account.contactPerson;
    const { id: _customer, displayName: _name, ...company } = account.customer;
    const detailsMails = () =>
      harness.ctx.db.kysely
        .selectFrom('outboxMessages')
        .select(['textBody'])
        .where('organizationId', '=', owner.organizationId)
        .where('textBody', 'like', '%Changed:%')
        .orderBy('createdAt')
        .execute();
    const auditCount = async () =>
      (await owner.request({ method: 'GET', url: '/api/v1/audit-log?event=portal.details_changed' })).json().data
        .length;
    const mailsBefore = (await detailsMails()).length;
    const auditBefore = await auditCount();

    // The portal's form sends every field; only the phone differs.
    const changed = await client.request({
      method: 'PATCH',
      url: '/account',
      payload: { contactPerson: { ...person, phone: '+1 555 0199' }, customer: company },
    });
    assert.equal(changed.statusCode, 200, changed.body);
    const mails = await detailsMails();
    assert.equal(mails.length, mailsBefore + 1);
    assert.match(mails.at(-1)?.textBody ?? '', /Changed: phone\b(?!,)/);
    assert.equal(await auditCount(), auditBefore + 1);

    // The same form again: nothing changed, nothing recorded, nobody e-mailed.
    const again = await client.request({
      method: 'PATCH',
      url: '/account',
      payload: { contactPerson: { ...person, phone: '+1 555 0199' }, customer: company },
    });
    assert.equal(again.statusCode, 200, again.body);
    assert.equal((await detailsMails()).length, mailsBefore + 1);
    assert.equal(await auditCount(), auditBefore + 1);
  });

  test('refuses every field outside the allow-list and writes nothing', async () => {
    const before = await customer(customerId);
    const neighbourBefore = await customer(neighbourId);
    for (const payload of [
      { contactPerson: { email: 'hijack@evil.example' } },
      { contactPerson: { isPrimary: true } },
      { contactPerson: { portalStatus: 'active' } },
      { contactPerson: { customerId: neighbourId } },
      { customer: { id: neighbourId, companyName: 'X' } },
      { customer: { displayName: 'Renamed by client' } },
      { customer: { currency: 'EUR' } },
      { customer: { openingBalance: -100000 } },
      { customerId: neighbourId, contactPerson: { phone: '1' } },
      { organizationId: 'org_x', contactPerson: { phone: '1' } },
      { role: 'owner' },
      { contactPerson: { phone: '2' }, customer: { notes: 'internal' } },
    ]) {
      const response = await client.request({ method: 'PATCH', url: '/account', payload });
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
    }
    assert.deepEqual(await customer(customerId), before);
    assert.deepEqual(await customer(neighbourId), neighbourBefore);
  });

  test('when the business turns editing off, the account is read-only', async () => {
    await owner.request({ method: 'PATCH', url: '/api/v1/portal-settings', payload: { allowEditingDetails: false } });
    try {
      const account = (await client.request({ method: 'GET', url: '/account' })).json();
      assert.equal(account.canEdit, false);
      const refused = await client.request({
        method: 'PATCH',
        url: '/account',
        payload: { contactPerson: { phone: '9' } },
      });
      assert.equal(refused.statusCode, 403);
    } finally {
      await owner.request({ method: 'PATCH', url: '/api/v1/portal-settings', payload: { allowEditingDetails: true } });
    }
  });
});
