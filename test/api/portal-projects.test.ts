import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import { activatedClient, customerWithContacts, enablePortal, type PortalClient } from '../support/portal.js';

describe('portal: projects and timesheets', () => {
  let harness: Harness;
  let owner: Actor;
  let clientA: PortalClient;
  let clientB: PortalClient;
  let projectA: string;
  let emptyProjectA: string;
  let projectB: string;
  const tasks = {} as Record<'design' | 'support' | 'internal', string>;
  const entries = {} as Record<'design1' | 'design2' | 'internal' | 'support' | 'later', string>;

  const post = async (url: string, payload: object = {}) => {
    const response = await owner.request({ method: 'POST', url, payload });
    assert.ok(response.statusCode < 300, `${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const settings = (payload: object) => owner.request({ method: 'PATCH', url: '/api/v1/portal-settings', payload });
  const get = (client: PortalClient, url: string) => client.request({ method: 'GET', url });
  const log = async (task: keyof typeof tasks, date: string, hours: string) =>
    (await post(`/api/v1/projects/${projectA}/time-entries`, { taskId: tasks[task], date, hours })).id as string;

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness);
    const slug = await enablePortal(owner);
    const a = await customerWithContacts(owner, 'Client A', ['a@client.example']);
    const b = await customerWithContacts(owner, 'Client B', ['b@client.example']);
    clientA = await activatedClient(
      harness,
      owner,
      slug,
      a.id,
      a.contacts['a@client.example'] ?? '',
      'a@client.example',
    );
    clientB = await activatedClient(
      harness,
      owner,
      slug,
      b.id,
      b.contacts['b@client.example'] ?? '',
      'b@client.example',
    );

    projectA = (
      await post('/api/v1/projects', {
        customerId: a.id,
        name: 'Website',
        description: 'The new site',
        billingMethod: 'task_hours',
      })
    ).id;
    emptyProjectA = (await post('/api/v1/projects', { customerId: a.id, name: 'Audit', billingMethod: 'fixed' })).id;
    projectB = (await post('/api/v1/projects', { customerId: b.id, name: 'Shop', billingMethod: 'task_hours' })).id;
    tasks.design = (await post(`/api/v1/projects/${projectA}/tasks`, { name: 'Design', rate: 9000 })).id;
    tasks.support = (await post(`/api/v1/projects/${projectA}/tasks`, { name: 'Support', rate: 5000 })).id;
    tasks.internal = (
      await post(`/api/v1/projects/${projectA}/tasks`, { name: 'Internal review', rate: 0, billable: false })
    ).id;
    entries.design1 = await log('design', '2026-03-02', '1.5');
    entries.design2 = await log('design', '2026-03-05', '0:20');
    entries.internal = await log('internal', '2026-03-03', '2');
    entries.support = await log('support', '2026-03-10', '1');
    const taskB = (await post(`/api/v1/projects/${projectB}/tasks`, { name: 'Build', rate: 100 })).id;
    await post(`/api/v1/projects/${projectB}/time-entries`, { taskId: taskB, date: '2026-03-04', hours: '3' });
  });
  after(() => harness.close());

  test('while the portal does not show projects, every project route answers 404 like an unknown one', async () => {
    const unknownRoute = await get(clientA, '/no-such-route');
    const list = await get(clientA, '/projects');
    assert.equal(list.statusCode, 404);
    assert.deepEqual(list.json(), unknownRoute.json());
    for (const url of [
      `/projects/${projectA}`,
      `/projects/${projectA}/tasks`,
      `/projects/${projectA}/time-entries`,
      `/projects/${projectA}/comments`,
    ]) {
      const response = await get(clientA, url);
      assert.equal(response.statusCode, 404, url);
      assert.deepEqual(response.json(), (await get(clientA, '/projects/prj_unknown')).json(), url);
      assert.ok(!response.body.includes('Website'));
    }
    const comment = await clientA.request({
      method: 'POST',
      url: `/projects/${projectA}/comments`,
      payload: { text: 'Hello' },
    });
    assert.equal(comment.statusCode, 404);
  });

  test('shown: my projects with their billable hours only, no rates and no user ids', async () => {
    assert.equal((await settings({ showProjects: true })).statusCode, 200);
    const list = await get(clientA, '/projects');
    assert.equal(list.statusCode, 200, list.body);
    const body = list.json();
    assert.deepEqual(
      body.data.map((p: { id: string }) => p.id),
      [emptyProjectA, projectA],
    );
    assert.equal(body.nextCursor, null);
    const website = body.data[1];
    // Billable: 90 + 20 + 60 minutes; the 2 hours on the non-billable task stay out.
    assert.deepEqual(website, {
      id: projectA,
      name: 'Website',
      description: 'The new site',
      status: 'active',
      billingMethod: 'task_hours',
      currency: 'USD',
      requireTimeApproval: false,
      loggedMinutes: 170,
      billedMinutes: 0,
      unbilledMinutes: 170,
      loggedHours: '2.8333',
      billedHours: '0',
      unbilledHours: '2.8333',
    });
    assert.equal(body.data[0].loggedHours, '0');
    for (const secret of ['rate', 'userId', owner.userId, 'customerId', '9000']) {
      assert.ok(!list.body.includes(secret), secret);
    }
    const detail = await get(clientA, `/projects/${projectA}`);
    assert.equal(detail.statusCode, 200, detail.body);
    assert.equal(detail.json().unbilledHours, '2.8333');
    assert.equal(typeof detail.json().createdAt, 'string');

    const ofB = await get(clientB, '/projects');
    assert.deepEqual(
      ofB.json().data.map((p: { id: string }) => p.id),
      [projectB],
    );

    // One project a page: each once, in name order, presented with its hours as on the whole list.
    const first = (await get(clientA, '/projects?limit=1')).json();
    assert.deepEqual(first.data, [body.data[0]]);
    assert.ok(first.nextCursor);
    const second = (await get(clientA, `/projects?limit=1&cursor=${first.nextCursor}`)).json();
    assert.deepEqual(second.data, [website]);
    assert.equal(second.nextCursor, null);
    assert.equal((await get(clientA, '/projects?cursor=nonsense')).statusCode, 400);
  });

  test('tasks: billable ones only, with logged, billed and unbilled hours', async () => {
    const response = await get(clientA, `/projects/${projectA}/tasks`);
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), {
      data: [
        {
          id: tasks.design,
          name: 'Design',
          description: null,
          loggedMinutes: 110,
          billedMinutes: 0,
          unbilledMinutes: 110,
          loggedHours: '1.8333',
          billedHours: '0',
          unbilledHours: '1.8333',
        },
        {
          id: tasks.support,
          name: 'Support',
          description: null,
          loggedMinutes: 60,
          billedMinutes: 0,
          unbilledMinutes: 60,
          loggedHours: '1',
          billedHours: '0',
          unbilledHours: '1',
        },
      ],
      nextCursor: null,
    });
    assert.ok(!response.body.includes('rate'));
  });

  test('timesheet: billable entries, newest first, with period filter and pagination', async () => {
    const all = await get(clientA, `/projects/${projectA}/time-entries`);
    assert.equal(all.statusCode, 200, all.body);
    assert.deepEqual(
      all.json().data.map((e: { id: string }) => e.id),
      [entries.support, entries.design2, entries.design1],
    );
    assert.deepEqual(all.json().data[1], {
      id: entries.design2,
      taskId: tasks.design,
      taskName: 'Design',
      date: '2026-03-05',
      minutes: 20,
      hours: '0.3333',
      status: 'unbilled',
      notes: null,
      invoiceId: null,
      invoiceNumber: null,
      approval: null,
      queries: [],
    });
    assert.ok(!all.body.includes('userId'));
    const period = await get(clientA, `/projects/${projectA}/time-entries?from=2026-03-03&to=2026-03-05`);
    assert.deepEqual(
      period.json().data.map((e: { id: string }) => e.id),
      [entries.design2],
    );
    const from = await get(clientA, `/projects/${projectA}/time-entries?from=2026-03-05`);
    assert.equal(from.json().data.length, 2);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url = `/projects/${projectA}/time-entries?limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await get(clientA, url);
      assert.equal(page.statusCode, 200, page.body);
      seen.push(...page.json().data.map((e: { id: string }) => e.id));
      cursor = page.json().nextCursor;
    } while (cursor);
    assert.deepEqual(seen, [entries.support, entries.design2, entries.design1]);
  });

  test('bad periods answer 400', async () => {
    for (const query of [
      'from=2026-02-30',
      'to=2026-13-01',
      'from=yesterday',
      'from=2026-03-10&to=2026-03-01',
      'cursor=nonsense',
      'limit=0',
      'status=invoiced',
    ]) {
      const response = await get(clientA, `/projects/${projectA}/time-entries?${query}`);
      assert.equal(response.statusCode, 400, `${query}: ${response.body}`);
      assert.equal(response.json().code, 'validation_failed');
    }
  });

  test('after the business invoices the time: billed and unbilled hours move', async () => {
    const invoice = await post(`/api/v1/projects/${projectA}/invoice`, {});
    const tasksAfter = (await get(clientA, `/projects/${projectA}/tasks`)).json().data;
    assert.deepEqual(
      tasksAfter.map((t: { billedHours: string; unbilledHours: string }) => [t.billedHours, t.unbilledHours]),
      [
        ['1.8333', '0'],
        ['1', '0'],
      ],
    );
    // On a draft invoice the entries are invoiced, but the invoice is not shown to the client yet.
    let timesheet = (await get(clientA, `/projects/${projectA}/time-entries`)).json().data;
    assert.ok(timesheet.every((e: { status: string; invoiceId: null }) => e.status === 'invoiced' && !e.invoiceId));
    await post(`/api/v1/invoices/${invoice.id}/send`);
    timesheet = (await get(clientA, `/projects/${projectA}/time-entries`)).json().data;
    assert.ok(timesheet.every((e: { invoiceId: string }) => e.invoiceId === invoice.id));
    assert.equal(timesheet[0].invoiceNumber, invoice.number);

    entries.later = await log('support', '2026-03-12', '0.5');
    const project = (await get(clientA, `/projects/${projectA}`)).json();
    assert.deepEqual([project.loggedHours, project.billedHours, project.unbilledHours], ['3.3333', '2.8333', '0.5']);
    assert.deepEqual([project.loggedMinutes, project.billedMinutes, project.unbilledMinutes], [200, 170, 30]);
    // Invoiced time stays visible even when its task is later made non-billable; its unbilled time does not.
    const patched = await owner.request({
      method: 'PATCH',
      url: `/api/v1/projects/${projectA}/tasks/${tasks.support}`,
      payload: { billable: false },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    const support = (await get(clientA, `/projects/${projectA}/tasks`))
      .json()
      .data.find((t: { id: string }) => t.id === tasks.support);
    assert.deepEqual([support.billedHours, support.unbilledHours], ['1', '0']);
    const ids = (await get(clientA, `/projects/${projectA}/time-entries`)).json().data.map((e: { id: string }) => e.id);
    assert.ok(ids.includes(entries.support) && !ids.includes(entries.later));
  });

  test("another customer's project is unknown (404)", async () => {
    for (const url of [`/projects/${projectB}`, `/projects/${projectB}/tasks`, `/projects/${projectB}/time-entries`]) {
      const response = await get(clientA, url);
      assert.equal(response.statusCode, 404, url);
      assert.equal(response.json().code, 'not_found');
      assert.ok(!response.body.includes('Shop'));
    }
    assert.equal((await get(clientB, `/projects/${projectA}`)).statusCode, 404);
  });

  test('switched off again, the projects are gone', async () => {
    assert.equal((await settings({ showProjects: false })).statusCode, 200);
    assert.equal((await get(clientA, '/projects')).statusCode, 404);
    assert.equal((await get(clientA, `/projects/${projectA}/tasks`)).statusCode, 404);
  });
});
