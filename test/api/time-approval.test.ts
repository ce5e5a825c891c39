import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ACTION_LIMITS } from '../../src/auth/action-limits.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import { activatedClient, customerWithContacts, enablePortal, type PortalClient } from '../support/portal.js';

/** Time approval (docs/time-approval.md): the business asks, the client approves or queries, invoicing obeys. */
describe('time approval', () => {
  let harness: Harness;
  let owner: Actor;
  let client: PortalClient;
  let otherClient: PortalClient;
  let customerId: string;
  let project: string;
  let task: string;
  let otherProject: string;

  const send = (method: 'POST' | 'PATCH' | 'GET' | 'DELETE', url: string, payload?: object) =>
    owner.request({ method, url: `/api/v1${url}`, ...(payload ? { payload } : {}) });
  const ok = async (method: 'POST' | 'PATCH' | 'GET', url: string, payload?: object) => {
    const response = await send(method, url, payload);
    assert.ok(response.statusCode < 300, `${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const log = async (date: string, hours: string, projectId = project, taskId = task) =>
    (await ok('POST', `/projects/${projectId}/time-entries`, { taskId, date, hours })).id as string;
  const entry = async (id: string, projectId = project) => ok('GET', `/projects/${projectId}/time-entries/${id}`);
  const approve = (ids: string[], who = client, projectId = project) =>
    who.request({ method: 'POST', url: `/projects/${projectId}/time-entries/approve`, payload: { timeEntryIds: ids } });
  const query = (id: string, message: string, who = client) =>
    who.request({ method: 'POST', url: `/projects/${project}/time-entries/${id}/query`, payload: { message } });
  /** Threads read oldest first: a minute passes between a question and its answer. */
  const tick = () => {
    harness.clock.now = new Date(harness.clock.now.getTime() + 60_000);
  };
  const history = async (event: string) =>
    harness.ctx.db.kysely
      .selectFrom('history')
      .selectAll()
      .where('subjectId', '=', project)
      .where('event', '=', event)
      .execute();

  /** A fresh project of the client's customer that requires approval, with one task. */
  const approvalProject = async (name: string) => {
    const id = (
      await ok('POST', '/projects', {
        customerId,
        name,
        billingMethod: 'project_hours',
        rate: 10000,
        requireTimeApproval: true,
      })
    ).id as string;
    const taskId = (await ok('POST', `/projects/${id}/tasks`, { name: 'Work' })).id as string;
    return { id, taskId };
  };

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness);
    const slug = await enablePortal(owner, { showProjects: true, notifyMe: true });
    const a = await customerWithContacts(owner, 'Client A', ['a@client.example']);
    const b = await customerWithContacts(owner, 'Client B', ['b@client.example']);
    customerId = a.id;
    client = await activatedClient(
      harness,
      owner,
      slug,
      a.id,
      a.contacts['a@client.example'] ?? '',
      'a@client.example',
    );
    otherClient = await activatedClient(
      harness,
      owner,
      slug,
      b.id,
      b.contacts['b@client.example'] ?? '',
      'b@client.example',
    );
    project = (await ok('POST', '/projects', { customerId: a.id, name: 'Website', billingMethod: 'task_hours' })).id;
    task = (await ok('POST', `/projects/${project}/tasks`, { name: 'Design', rate: 9000 })).id;
    otherProject = (await ok('POST', '/projects', { customerId: b.id, name: 'Shop', billingMethod: 'task_hours' })).id;
  });
  after(() => harness.close());

  test('off by default; turning it on puts unbilled time awaiting approval, invoiced time stays as it was', async () => {
    const created = await ok('GET', `/projects/${project}`);
    assert.equal(created.requireTimeApproval, false);
    const before1 = await log('2026-03-02', '2');
    assert.equal((await entry(before1)).approval, null);
    // Bill one entry before approval is turned on: it is part of the books and stays without approval.
    const billed = await log('2026-03-01', '1');
    const invoice = await ok('POST', `/projects/${project}/invoice`, { timeEntryIds: [billed] });

    const on = await ok('PATCH', `/projects/${project}`, { requireTimeApproval: true });
    assert.equal(on.requireTimeApproval, true);
    assert.equal((await entry(before1)).approval, 'awaiting_approval');
    assert.equal((await entry(billed)).approval, null);
    const [line] = await history('time_approval_required');
    assert.match(line?.description ?? '', /1 unbilled entry awaiting approval/);
    // New time waits for the client too.
    const later = await log('2026-03-03', '1.5');
    assert.equal((await entry(later)).approval, 'awaiting_approval');
    // The client sees the project asks for approval, and can list what awaits.
    const seen = await client.request({ method: 'GET', url: `/projects/${project}` });
    assert.equal(seen.json().requireTimeApproval, true);
    const awaiting = await client.request({
      method: 'GET',
      url: `/projects/${project}/time-entries?approval=awaiting_approval`,
    });
    assert.deepEqual(
      awaiting.json().data.map((e: { id: string }) => e.id),
      [later, before1],
    );
    // Voiding the invoice makes its time unbilled again, and now it asks the client.
    assert.equal((await send('DELETE', `/invoices/${invoice.id}`)).statusCode, 204);
    assert.equal((await entry(billed)).approval, 'awaiting_approval');
  });

  test('invoicing takes only approved time; with none approved it answers 409 time_not_approved', async () => {
    const { id, taskId } = await approvalProject('Only approved');
    const first = await log('2026-04-01', '1', id, taskId);
    const second = await log('2026-04-02', '3', id, taskId);
    const invoicesBefore = (await ok('GET', '/invoices')).data.length;
    const refused = await send('POST', `/projects/${id}/invoice`, {});
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().code, 'time_not_approved');
    assert.match(refused.json().detail, /None of this project's unbilled time is approved by the client yet: 2/);
    assert.equal((await ok('GET', '/invoices')).data.length, invoicesBefore);

    assert.equal((await ok('GET', `/projects/${id}`)).totals.approvedAmount, 0);
    assert.equal((await approve([first], client, id)).statusCode, 200);
    const totals = (await ok('GET', `/projects/${id}`)).totals;
    assert.deepEqual([totals.unbilledAmount, totals.approvedAmount], [40000, 10000]);
    // Naming an unapproved entry is refused, with nothing written.
    const named = await send('POST', `/projects/${id}/invoice`, { timeEntryIds: [first, second] });
    assert.equal(named.statusCode, 409);
    assert.equal(named.json().code, 'time_not_approved');
    assert.equal((await entry(second, id)).status, 'unbilled');

    const invoice = await ok('POST', `/projects/${id}/invoice`, {});
    assert.equal(invoice.lines.length, 1);
    assert.equal(invoice.lines[0].quantity, '1');
    assert.equal(invoice.total, 10000);
    assert.equal((await entry(first, id)).status, 'invoiced');
    assert.equal((await entry(second, id)).status, 'unbilled');
  });

  test('the client approves (twice at once: one approval, one history line) and the entry is frozen', async () => {
    const entryId = await log('2026-03-04', '1');
    const answers = await Promise.all([approve([entryId]), approve([entryId])]);
    assert.deepEqual(
      answers.map((r) => r.statusCode),
      [200, 200],
    );
    assert.deepEqual(answers.map((r) => r.json().approvedCount).sort(), [0, 1]);
    const lines = (await history('time_approved')).filter((h) => h.description.startsWith('Approved 1 time entry'));
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.actorType, 'contact_person');
    const approved = await entry(entryId);
    assert.equal(approved.approval, 'approved');
    assert.ok(approved.approvedAt);

    // Approved time stays as approved: no change, no delete…
    const patch = await send('PATCH', `/projects/${project}/time-entries/${entryId}`, { hours: '2' });
    assert.equal(patch.statusCode, 409);
    assert.match(patch.json().detail, /withdraw the approval/);
    assert.equal((await send('DELETE', `/projects/${project}/time-entries/${entryId}`)).statusCode, 409);
    assert.equal((await entry(entryId)).minutes, 60);
    // …until the business withdraws the approval, which asks the client again.
    const withdrawn = await ok('POST', `/projects/${project}/time-entries/${entryId}/resubmit`, {});
    assert.equal(withdrawn.approval, 'awaiting_approval');
    assert.equal(withdrawn.approvedAt, null);
    assert.equal((await history('time_approval_withdrawn')).length, 1);
    assert.equal((await ok('PATCH', `/projects/${project}/time-entries/${entryId}`, { hours: '2' })).minutes, 120);
  });

  test('a query is a comment on the entry, e-mails the business, and an answer puts the entry awaiting again', async () => {
    const entryId = await log('2026-03-05', '4');
    const queried = await query(entryId, '  Four hours for a logo?  ');
    assert.equal(queried.statusCode, 200, queried.body);
    assert.equal(queried.json().approval, 'queried');
    assert.deepEqual(
      queried.json().queries.map((q: { author: string; text: string }) => [q.author, q.text]),
      [['client', 'Four hours for a logo?']],
    );
    // The business sees it on the entry and in the project's thread.
    const seen = await entry(entryId);
    assert.equal(seen.approval, 'queried');
    assert.equal(seen.queries[0].authorName, 'Person 1');
    const thread = await ok('GET', `/projects/${project}/comments`);
    assert.ok(thread.data.some((c: { text: string }) => c.text === 'Four hours for a logo?'));
    // The owner is e-mailed, as for a client's comment.
    const mails = await harness.ctx.db.kysely
      .selectFrom('outboxMessages')
      .selectAll()
      .where('organizationId', '=', owner.organizationId)
      .where('template', '=', 'portalActivity')
      .execute();
    assert.ok(mails.some((m) => m.textBody.includes('queried time logged on project Website')));
    assert.ok(mails.some((m) => m.textBody.includes('Four hours for a logo?')));

    // A queried entry cannot be approved nor queried again until the business answers.
    assert.equal((await approve([entryId])).statusCode, 409);
    assert.equal((await query(entryId, 'Again?')).statusCode, 409);
    // The business answers: the answer is shown to the client and the entry awaits approval again.
    tick();
    const answered = await ok('POST', `/projects/${project}/time-entries/${entryId}/resubmit`, {
      message: 'It included the brand guide.',
    });
    assert.equal(answered.approval, 'awaiting_approval');
    const portalView = await client.request({ method: 'GET', url: `/projects/${project}/time-entries` });
    const mine = portalView.json().data.find((e: { id: string }) => e.id === entryId);
    assert.deepEqual(
      mine.queries.map((q: { author: string; authorName: string; text: string }) => [q.author, q.text]),
      [
        ['client', 'Four hours for a logo?'],
        ['business', 'It included the brand guide.'],
      ],
    );
    assert.ok(mine.queries[1].authorName);
    // Queried again, then changed by the business: the change answers the query.
    tick();
    assert.equal((await query(entryId, 'Still too much.')).statusCode, 200);
    const changed = await ok('PATCH', `/projects/${project}/time-entries/${entryId}`, { hours: '3' });
    assert.equal(changed.approval, 'awaiting_approval');
    assert.equal(changed.queries.length, 3);
  });

  test('bad input is 400 and changes nothing; wrong states are 409; others’ ids are 404', async () => {
    const entryId = await log('2026-03-06', '1');
    for (const payload of [{}, { timeEntryIds: [] }, { timeEntryIds: [entryId, entryId] }, { timeEntryIds: 'x' }]) {
      const response = await client.request({
        method: 'POST',
        url: `/projects/${project}/time-entries/approve`,
        payload,
      });
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
    }
    const unknown = await approve([entryId, 'te_unknown']);
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().errors[0].path, '/timeEntryIds/1');
    assert.equal((await entry(entryId)).approval, 'awaiting_approval');
    for (const message of ['', '   ']) assert.equal((await query(entryId, message)).statusCode, 400);
    assert.equal((await entry(entryId)).approval, 'awaiting_approval');
    // Another customer's client sees none of it.
    assert.equal((await approve([entryId], otherClient)).statusCode, 404);
    assert.equal((await query(entryId, 'Why?', otherClient)).statusCode, 404);
    // A project that does not ask for approval: 409.
    const taskB = (await ok('POST', `/projects/${otherProject}/tasks`, { name: 'Build' })).id;
    const entryB = await log('2026-03-06', '1', otherProject, taskB);
    const notAsked = await approve([entryB], otherClient, otherProject);
    assert.equal(notAsked.statusCode, 409);
    // The business's resubmit: only from queried or approved.
    const awaiting = await send('POST', `/projects/${project}/time-entries/${entryId}/resubmit`, {});
    assert.equal(awaiting.statusCode, 409);
    const plain = await send('POST', `/projects/${otherProject}/time-entries/${entryB}/resubmit`, {});
    assert.equal(plain.statusCode, 409);
    const blank = await send('POST', `/projects/${project}/time-entries/${entryId}/resubmit`, { message: ' ' });
    assert.equal(blank.statusCode, 400);
    // Hidden projects answer 404.
    assert.equal((await send('PATCH', '/portal-settings', { showProjects: false })).statusCode, 200);
    assert.equal((await approve([entryId])).statusCode, 404);
    assert.equal((await send('PATCH', '/portal-settings', { showProjects: true })).statusCode, 200);
  });

  test('approve-all racing an invoice run: no unapproved time is invoiced', async () => {
    for (let round = 0; round < 4; round += 1) {
      const { id, taskId } = await approvalProject(`Race ${round}`);
      const approvedEarlier = await log('2026-05-01', '1', id, taskId);
      assert.equal((await approve([approvedEarlier], client, id)).statusCode, 200);
      const pending = [await log('2026-05-02', '1', id, taskId), await log('2026-05-03', '2', id, taskId)];
      const [approval, invoicing] = await Promise.all([
        approve(pending, client, id),
        send('POST', `/projects/${id}/invoice`, {}),
      ]);
      assert.equal(approval.statusCode, 200, approval.body);
      assert.equal(invoicing.statusCode, 201, invoicing.body);
      const entries = await harness.ctx.db.kysely
        .selectFrom('timeEntries')
        .select(['id', 'status', 'approval', 'invoiceId'])
        .where('projectId', '=', id)
        .execute();
      for (const e of entries) {
        if (e.status === 'invoiced') assert.equal(e.approval, 'approved', `round ${round}: ${e.id}`);
      }
      // The invoice bills exactly the entries it marked.
      const invoice = invoicing.json();
      const billedMinutes = entries
        .filter((e) => e.invoiceId === invoice.id)
        .reduce((sum, e) => sum + (e.id === approvedEarlier ? 60 : e.id === pending[0] ? 60 : 120), 0);
      assert.equal(invoice.total, (billedMinutes / 60) * 10000);
    }
  });

  test('turning approval off lets go of open questions and keeps the approvals given', async () => {
    const { id, taskId } = await approvalProject('Switch off');
    const approvedOne = await log('2026-06-01', '1', id, taskId);
    const waiting = await log('2026-06-02', '1', id, taskId);
    assert.equal((await approve([approvedOne], client, id)).statusCode, 200);
    const off = await ok('PATCH', `/projects/${id}`, { requireTimeApproval: false });
    assert.equal(off.requireTimeApproval, false);
    assert.equal((await entry(approvedOne, id)).approval, 'approved');
    assert.equal((await entry(waiting, id)).approval, null);
    // Everything unbilled is invoiceable again.
    const invoice = await ok('POST', `/projects/${id}/invoice`, {});
    assert.equal(invoice.total, 20000);
  });

  test('approvals count against the client’s time-approval budget', async () => {
    const saved = ACTION_LIMITS.timeApproval.perContactPerson.max;
    ACTION_LIMITS.timeApproval.perContactPerson.max = 0;
    try {
      const entryId = await log('2026-07-01', '1');
      const refused = await approve([entryId]);
      assert.equal(refused.statusCode, 429);
      assert.equal((await entry(entryId)).approval, 'awaiting_approval');
    } finally {
      ACTION_LIMITS.timeApproval.perContactPerson.max = saved;
    }
  });
});
