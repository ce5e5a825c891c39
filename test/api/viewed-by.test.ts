import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import { activatedClient, customerWithContacts, enablePortal, type PortalClient } from '../support/portal.js';

/** The back office's "eye": who first viewed an estimate or invoice in the portal, by name, in lists and details. */
describe('viewed by: the contact person who first opened a document, in the business API', () => {
  let harness: Harness;
  let owner: Actor;
  let client: PortalClient;
  let contactId: string;
  const ids: Record<'invoices' | 'estimates', { viewed: string; unseen: string }> = {
    invoices: { viewed: '', unseen: '' },
    estimates: { viewed: '', unseen: '' },
  };

  const json = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
    const response = await owner.request({ method, url, ...(payload ? { payload } : {}) });
    assert.ok(response.statusCode < 300, `${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness);
    const slug = await enablePortal(owner);
    const customer = await customerWithContacts(owner, 'Viewer & Co', ['viewer@client.example']);
    contactId = customer.contacts['viewer@client.example'] ?? '';
    await json('PATCH', `/api/v1/customers/${customer.id}/contact-persons/${contactId}`, { lastName: 'Eyeball' });
    client = await activatedClient(harness, owner, slug, customer.id, contactId, 'viewer@client.example');
    for (const kind of ['invoices', 'estimates'] as const) {
      for (const which of ['viewed', 'unseen'] as const) {
        const { id } = await json('POST', `/api/v1/${kind}`, {
          customerId: customer.id,
          lines: [{ name: 'Work', quantity: '1', rate: 1000 }],
        });
        await json('POST', `/api/v1/${kind}/${id}/send`);
        ids[kind][which] = id;
      }
      const opened = await client.request({ method: 'GET', url: `/${kind}/${ids[kind].viewed}` });
      assert.equal(opened.statusCode, 200, opened.body);
    }
  });
  after(() => harness.close());

  for (const kind of ['invoices', 'estimates'] as const) {
    test(`${kind}: the list and the detail name the viewer; an unseen one has nulls`, async () => {
      const list = await json('GET', `/api/v1/${kind}`);
      const byId = new Map<string, Record<string, unknown>>(list.data.map((row: { id: string }) => [row.id, row]));
      const viewed = byId.get(ids[kind].viewed);
      assert.ok(viewed?.viewedAt, 'viewedAt is set');
      assert.equal(viewed?.viewedByContactPersonId, contactId);
      assert.equal(viewed?.viewedByName, 'Person 1 Eyeball');
      const unseen = byId.get(ids[kind].unseen);
      assert.equal(unseen?.viewedAt, null);
      assert.equal(unseen?.viewedByContactPersonId, null);
      assert.equal(unseen?.viewedByName, null);

      const detail = await json('GET', `/api/v1/${kind}/${ids[kind].viewed}`);
      assert.equal(detail.viewedByContactPersonId, contactId);
      assert.equal(detail.viewedByName, 'Person 1 Eyeball');
      assert.equal((await json('GET', `/api/v1/${kind}/${ids[kind].unseen}`)).viewedByName, null);
    });
  }

  test('a viewer without a last name is named by the first name alone', async () => {
    await json(
      'PATCH',
      `/api/v1/customers/${(await json('GET', `/api/v1/invoices/${ids.invoices.viewed}`)).customer.id}/contact-persons/${contactId}`,
      {
        lastName: null,
      },
    );
    assert.equal((await json('GET', `/api/v1/invoices/${ids.invoices.viewed}`)).viewedByName, 'Person 1');
  });
});
