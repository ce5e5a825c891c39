import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';

interface TaskBody {
  id: string;
  name: string;
  billable: boolean;
  rate: number;
  loggedMinutes: number;
  billedMinutes: number;
  unbilledMinutes: number;
}

describe('projects, tasks and time entries', () => {
  let harness: Harness;
  let owner: Actor;
  let otherOrg: Actor;
  let customerId: string;

  before(async () => {
    harness = await startHarness();
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

  async function newProject(overrides: Record<string, unknown> = {}) {
    const response = await owner.request({
      method: 'POST',
      url: '/api/v1/projects',
      payload: { customerId, name: 'Website', billingMethod: 'task_hours', ...overrides },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json();
  }

  async function newTask(projectId: string, payload: Record<string, unknown>) {
    const response = await owner.request({ method: 'POST', url: `/api/v1/projects/${projectId}/tasks`, payload });
    assert.equal(response.statusCode, 201, response.body);
    return response.json() as TaskBody;
  }

  async function logTime(projectId: string, payload: Record<string, unknown>) {
    return owner.request({ method: 'POST', url: `/api/v1/projects/${projectId}/time-entries`, payload });
  }

  async function entryCount(projectId: string) {
    const response = await owner.request({
      method: 'GET',
      url: `/api/v1/projects/${projectId}/time-entries?limit=100`,
    });
    return response.json().data.length as number;
  }

  test("creates a project in the customer's currency and lists it", async () => {
    const project = await newProject({ name: 'Alpha site', description: 'Redesign' });
    assert.match(project.id, /^prj_[0-9a-z]{26}$/);
    assert.equal(project.currency, 'USD');
    assert.equal(project.customerName, 'Acme Corp');
    assert.equal(project.status, 'active');
    assert.equal(project.rate, null);
    assert.deepEqual(project.tasks, []);
    assert.deepEqual(project.totals, {
      loggedMinutes: 0,
      billableMinutes: 0,
      billedMinutes: 0,
      unbilledMinutes: 0,
      unbilledAmount: 0,
      approvedAmount: null,
    });

    const listed = (await owner.request({ method: 'GET', url: `/api/v1/projects?customerId=${customerId}` })).json();
    assert.ok(listed.data.some((p: { id: string }) => p.id === project.id));
    const searched = (await owner.request({ method: 'GET', url: '/api/v1/projects?q=alpha' })).json();
    assert.deepEqual(
      searched.data.map((p: { id: string }) => p.id),
      [project.id],
    );
  });

  test('lists with cursor pagination and a status filter', async () => {
    for (const name of ['Page B', 'Page C', 'Page A']) await newProject({ name });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = (await owner.request({ method: 'GET', url: `/api/v1/projects?q=page&limit=2${query}` })).json();
      seen.push(...page.data.map((p: { name: string }) => p.name));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, ['Page A', 'Page B', 'Page C']);
    const inactive = (await owner.request({ method: 'GET', url: '/api/v1/projects?status=inactive&q=page' })).json();
    assert.deepEqual(inactive.data, []);
  });

  test('bad project input answers 400 and writes nothing', async () => {
    const before = (await owner.request({ method: 'GET', url: '/api/v1/projects?limit=100' })).json().data.length;
    const foreignCustomer = (
      await otherOrg.request({ method: 'POST', url: '/api/v1/customers', payload: { displayName: 'Theirs' } })
    ).json();
    for (const payload of [
      { customerId, name: 'X', billingMethod: 'hourly' },
      { customerId, name: '', billingMethod: 'fixed' },
      { customerId, name: 'X', billingMethod: 'fixed', currency: 'EUR' },
      { customerId, name: 'X', billingMethod: 'project_hours' },
      { customerId, name: 'X', billingMethod: 'project_hours', rate: -1 },
      { customerId, name: 'X', billingMethod: 'project_hours', rate: 1.5 },
      { customerId: foreignCustomer.id, name: 'X', billingMethod: 'fixed' },
      { customerId: 'cus_00000000000000000000000000', name: 'X', billingMethod: 'fixed' },
    ]) {
      const response = await owner.request({ method: 'POST', url: '/api/v1/projects', payload });
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      assert.equal(response.json().code, 'validation_failed');
    }
    const after = (await owner.request({ method: 'GET', url: '/api/v1/projects?limit=100' })).json().data.length;
    assert.equal(after, before);
  });

  test('updates a project; project hours need a rate', async () => {
    const project = await newProject();
    const noRate = await owner.request({
      method: 'PATCH',
      url: `/api/v1/projects/${project.id}`,
      payload: { billingMethod: 'project_hours' },
    });
    assert.equal(noRate.statusCode, 400);
    const patched = await owner.request({
      method: 'PATCH',
      url: `/api/v1/projects/${project.id}`,
      payload: { billingMethod: 'project_hours', rate: 12000, name: 'Website v2' },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().rate, 12000);
    assert.equal(patched.json().name, 'Website v2');
    const customerChange = await owner.request({
      method: 'PATCH',
      url: `/api/v1/projects/${project.id}`,
      payload: { customerId },
    });
    assert.equal(customerChange.statusCode, 400);
    const empty = await owner.request({ method: 'PATCH', url: `/api/v1/projects/${project.id}`, payload: {} });
    assert.equal(empty.statusCode, 400);
  });

  test('deactivates and activates through the state machine; no time is logged on an inactive project', async () => {
    const project = await newProject();
    const task = await newTask(project.id, { name: 'Design', rate: 5000 });
    const off = await owner.request({ method: 'POST', url: `/api/v1/projects/${project.id}/deactivate` });
    assert.equal(off.statusCode, 200);
    assert.equal(off.json().status, 'inactive');
    const again = await owner.request({ method: 'POST', url: `/api/v1/projects/${project.id}/deactivate` });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'invalid_transition');
    const logged = await logTime(project.id, { taskId: task.id, date: '2026-03-10', hours: '1' });
    assert.equal(logged.statusCode, 409);
    const filtered = (await owner.request({ method: 'GET', url: '/api/v1/projects?status=inactive' })).json();
    assert.deepEqual(
      filtered.data.map((p: { id: string }) => p.id),
      [project.id],
    );
    const on = await owner.request({ method: 'POST', url: `/api/v1/projects/${project.id}/activate` });
    assert.equal(on.json().status, 'active');
    const onAgain = await owner.request({ method: 'POST', url: `/api/v1/projects/${project.id}/activate` });
    assert.equal(onAgain.statusCode, 409);
    assert.equal((await logTime(project.id, { taskId: task.id, date: '2026-03-10', hours: '1' })).statusCode, 201);
  });

  test('tasks: add, list, update, delete; a task with time stays', async () => {
    const project = await newProject();
    const design = await newTask(project.id, { name: 'Design', rate: 5000, description: 'Mockups' });
    assert.match(design.id, /^tsk_[0-9a-z]{26}$/);
    assert.equal(design.billable, true);
    const meetings = await newTask(project.id, { name: 'Meetings', billable: false });
    assert.equal(meetings.rate, 0);
    assert.equal(meetings.billable, false);
    for (const payload of [
      { name: '' },
      { name: 'X', rate: -5 },
      { name: 'X', billable: 'yes' },
      { name: 'X', x: 1 },
    ]) {
      const bad = await owner.request({ method: 'POST', url: `/api/v1/projects/${project.id}/tasks`, payload });
      assert.equal(bad.statusCode, 400, JSON.stringify(payload));
    }
    const patched = await owner.request({
      method: 'PATCH',
      url: `/api/v1/projects/${project.id}/tasks/${design.id}`,
      payload: { rate: 6000, billable: true },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().rate, 6000);
    const list = (await owner.request({ method: 'GET', url: `/api/v1/projects/${project.id}/tasks` })).json();
    assert.deepEqual(
      list.data.map((t: TaskBody) => t.name),
      ['Design', 'Meetings'],
    );

    assert.equal((await logTime(project.id, { taskId: design.id, date: '2026-03-01', hours: '2' })).statusCode, 201);
    const busy = await owner.request({ method: 'DELETE', url: `/api/v1/projects/${project.id}/tasks/${design.id}` });
    assert.equal(busy.statusCode, 409);
    const gone = await owner.request({ method: 'DELETE', url: `/api/v1/projects/${project.id}/tasks/${meetings.id}` });
    assert.equal(gone.statusCode, 204);
    const missing = await owner.request({
      method: 'PATCH',
      url: `/api/v1/projects/${project.id}/tasks/${meetings.id}`,
      payload: { name: 'Back' },
    });
    assert.equal(missing.statusCode, 404);

    const other = await newProject();
    const wrongProject = await owner.request({
      method: 'PATCH',
      url: `/api/v1/projects/${other.id}/tasks/${design.id}`,
      payload: { name: 'Moved' },
    });
    assert.equal(wrongProject.statusCode, 404);
  });

  test('logs time as decimal hours or HH:MM, stored as whole minutes, by the signed-in user', async () => {
    const project = await newProject();
    const task = await newTask(project.id, { name: 'Build', rate: 9000 });
    const cases: Array<[string, number, string]> = [
      ['1.5', 90, '1.5'],
      ['1:30', 90, '1.5'],
      ['0:20', 20, '0.3333'],
      ['0.01', 1, '0.0167'],
      ['2.25', 135, '2.25'],
      ['24', 1440, '24'],
      ['07:05', 425, '7.0833'],
    ];
    for (const [hours, minutes, decimal] of cases) {
      const response = await logTime(project.id, { taskId: task.id, date: '2026-03-02', hours, notes: hours });
      assert.equal(response.statusCode, 201, `${hours}: ${response.body}`);
      const entry = response.json();
      assert.match(entry.id, /^te_[0-9a-z]{26}$/);
      assert.equal(entry.minutes, minutes, hours);
      assert.equal(entry.hours, decimal, hours);
      assert.equal(entry.userId, owner.userId);
      assert.equal(entry.status, 'unbilled');
      assert.equal(entry.invoiceId, null);
      assert.equal(entry.date, '2026-03-02');
    }

    const key = await owner.request({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'Timer' } });
    assert.equal(key.statusCode, 201, key.body);
    const viaKey = await harness.app.inject({
      method: 'POST',
      url: `/api/v1/projects/${project.id}/time-entries`,
      headers: { authorization: `Bearer ${key.json().key}` },
      payload: { taskId: task.id, date: '2026-03-02', hours: '1' },
    });
    assert.equal(viaKey.statusCode, 201, viaKey.body);
    assert.equal(viaKey.json().userId, null);
  });

  test('bad time input (a task of another project included) answers 400 and writes nothing', async () => {
    const project = await newProject();
    const task = await newTask(project.id, { name: 'Build', rate: 9000 });
    const otherProject = await newProject();
    const otherTask = await newTask(otherProject.id, { name: 'Elsewhere' });
    const good = { taskId: task.id, date: '2026-03-02', hours: '1' };
    for (const payload of [
      { ...good, hours: '-1' },
      { ...good, hours: '25:99' },
      { ...good, hours: '25' },
      { ...good, hours: '24:01' },
      { ...good, hours: '0' },
      { ...good, hours: '0:00' },
      { ...good, hours: '1.234' },
      { ...good, hours: 1 },
      { ...good, hours: '1e2' },
      { ...good, date: '2026-02-30' },
      { ...good, date: '03/02/2026' },
      { ...good, billable: true },
      { ...good, userId: owner.userId },
      { ...good, taskId: otherTask.id },
      { ...good, taskId: 'tsk_00000000000000000000000000' },
      { date: '2026-03-02', hours: '1' },
    ]) {
      const response = await logTime(project.id, payload);
      assert.equal(response.statusCode, 400, `${JSON.stringify(payload)} → ${response.body}`);
      assert.equal(response.json().code, 'validation_failed');
    }
    assert.equal(await entryCount(project.id), 0);

    const entry = (await logTime(project.id, good)).json();
    for (const payload of [
      { hours: '-1' },
      { taskId: otherTask.id },
      {},
      { status: 'invoiced' },
      { date: '2026-13-01' },
    ]) {
      const response = await owner.request({
        method: 'PATCH',
        url: `/api/v1/projects/${project.id}/time-entries/${entry.id}`,
        payload,
      });
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
    }
    const unchanged = (
      await owner.request({ method: 'GET', url: `/api/v1/projects/${project.id}/time-entries/${entry.id}` })
    ).json();
    assert.deepEqual(unchanged, entry);
    const wrongProject = await owner.request({
      method: 'GET',
      url: `/api/v1/projects/${otherProject.id}/time-entries/${entry.id}`,
    });
    assert.equal(wrongProject.statusCode, 404);
  });

  test('time entries: update, delete, and list with filters and cursor', async () => {
    const project = await newProject();
    const design = await newTask(project.id, { name: 'Design', rate: 5000 });
    const build = await newTask(project.id, { name: 'Build', rate: 8000 });
    const ids: string[] = [];
    for (const [taskId, date] of [
      [design.id, '2026-03-01'],
      [build.id, '2026-03-02'],
      [design.id, '2026-03-03'],
      [build.id, '2026-03-03'],
      [design.id, '2026-03-05'],
    ] as const) {
      ids.push((await logTime(project.id, { taskId, date, hours: '1' })).json().id);
    }
    const patched = await owner.request({
      method: 'PATCH',
      url: `/api/v1/projects/${project.id}/time-entries/${ids[0]}`,
      payload: { hours: '0:45', notes: 'Sketches', taskId: build.id },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().minutes, 45);
    assert.equal(patched.json().taskId, build.id);
    assert.equal(patched.json().notes, 'Sketches');

    const all: Array<{ id: string; date: string }> = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = (
        await owner.request({ method: 'GET', url: `/api/v1/projects/${project.id}/time-entries?limit=2${query}` })
      ).json();
      all.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    assert.equal(all.length, 5);
    assert.deepEqual(
      all.map((e) => e.date),
      ['2026-03-05', '2026-03-03', '2026-03-03', '2026-03-02', '2026-03-01'],
    );
    assert.equal(new Set(all.map((e) => e.id)).size, 5);

    const ranged = (
      await owner.request({
        method: 'GET',
        url: `/api/v1/projects/${project.id}/time-entries?from=2026-03-02&to=2026-03-03&taskId=${build.id}`,
      })
    ).json();
    assert.equal(ranged.data.length, 2);
    const invoiced = (
      await owner.request({ method: 'GET', url: `/api/v1/projects/${project.id}/time-entries?status=invoiced` })
    ).json();
    assert.deepEqual(invoiced.data, []);
    const badStatus = await owner.request({
      method: 'GET',
      url: `/api/v1/projects/${project.id}/time-entries?status=paid`,
    });
    assert.equal(badStatus.statusCode, 400);

    const removed = await owner.request({
      method: 'DELETE',
      url: `/api/v1/projects/${project.id}/time-entries/${ids[4]}`,
    });
    assert.equal(removed.statusCode, 204);
    assert.equal(await entryCount(project.id), 4);
    const twice = await owner.request({
      method: 'DELETE',
      url: `/api/v1/projects/${project.id}/time-entries/${ids[4]}`,
    });
    assert.equal(twice.statusCode, 404);
  });

  test('the project detail sums logged, billable and unbilled minutes per task exactly', async () => {
    const project = await newProject();
    const design = await newTask(project.id, { name: 'Design', rate: 5000 });
    const meetings = await newTask(project.id, { name: 'Meetings', rate: 3000, billable: false });
    for (const hours of ['1:10', '0:20', '0.5']) {
      await logTime(project.id, { taskId: design.id, date: '2026-03-04', hours });
    }
    await logTime(project.id, { taskId: meetings.id, date: '2026-03-04', hours: '2' });
    const detail = (await owner.request({ method: 'GET', url: `/api/v1/projects/${project.id}` })).json();
    const byName = Object.fromEntries(detail.tasks.map((t: TaskBody) => [t.name, t]));
    assert.equal(byName.Design.loggedMinutes, 120);
    assert.equal(byName.Design.unbilledMinutes, 120);
    assert.equal(byName.Design.billedMinutes, 0);
    assert.equal(byName.Meetings.loggedMinutes, 120);
    assert.equal(byName.Meetings.unbilledMinutes, 0);
    assert.deepEqual(detail.totals, {
      loggedMinutes: 240,
      billableMinutes: 120,
      billedMinutes: 0,
      unbilledMinutes: 120,
      unbilledAmount: 10000,
      approvedAmount: null,
    });
  });

  test("the list carries each project's logged, billed and unbilled minutes, as its detail totals them", async () => {
    const project = await newProject({ name: 'Listed hours' });
    const design = await newTask(project.id, { name: 'Design', rate: 5000 });
    const meetings = await newTask(project.id, { name: 'Meetings', rate: 3000, billable: false });
    await logTime(project.id, { taskId: design.id, date: '2026-03-04', hours: '1:30' });
    await logTime(project.id, { taskId: meetings.id, date: '2026-03-04', hours: '1' });
    const first = await logTime(project.id, { taskId: design.id, date: '2026-03-05', hours: '2' });
    const invoiced = await owner.request({
      method: 'POST',
      url: `/api/v1/projects/${project.id}/invoice`,
      payload: { timeEntryIds: [first.json().id] },
    });
    assert.equal(invoiced.statusCode, 201, invoiced.body);
    const empty = await newProject({ name: 'Listed without hours' });
    const listed = (await owner.request({ method: 'GET', url: '/api/v1/projects?q=listed' })).json();
    const byName = Object.fromEntries(listed.data.map((p: { name: string }) => [p.name, p]));
    assert.deepEqual(
      [
        byName['Listed hours'].loggedMinutes,
        byName['Listed hours'].billedMinutes,
        byName['Listed hours'].unbilledMinutes,
      ],
      [270, 120, 90],
    );
    const detail = (await owner.request({ method: 'GET', url: `/api/v1/projects/${project.id}` })).json();
    assert.equal(detail.totals.loggedMinutes, 270);
    assert.equal(detail.totals.billedMinutes, 120);
    assert.equal(detail.totals.unbilledMinutes, 90);
    assert.equal(byName['Listed without hours'].id, empty.id);
    assert.equal(byName['Listed without hours'].loggedMinutes, 0);
    assert.equal(byName['Listed without hours'].unbilledMinutes, 0);
  });

  test('deletes a project without invoiced time, with its tasks and entries', async () => {
    const project = await newProject();
    const task = await newTask(project.id, { name: 'Build' });
    await logTime(project.id, { taskId: task.id, date: '2026-03-04', hours: '1' });
    const removed = await owner.request({ method: 'DELETE', url: `/api/v1/projects/${project.id}` });
    assert.equal(removed.statusCode, 204);
    assert.equal((await owner.request({ method: 'GET', url: `/api/v1/projects/${project.id}` })).statusCode, 404);
  });

  async function invoiceCount() {
    const row = await harness.ctx.db.kysely
      .selectFrom('invoices')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('organizationId', '=', owner.organizationId)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  test('invoices unbilled billable time: one line per task, exact totals, entries marked invoiced', async () => {
    const project = await newProject({ name: 'Shop' });
    const design = await newTask(project.id, { name: 'Design', rate: 5000 });
    const build = await newTask(project.id, { name: 'Build', rate: 8000 });
    const meetings = await newTask(project.id, { name: 'Meetings', rate: 3000, billable: false });
    const designEntries: string[] = [];
    for (const [hours, date] of [
      ['1:10', '2026-03-03'],
      ['0:20', '2026-03-01'],
      ['0.5', '2026-03-05'],
    ] as const) {
      designEntries.push((await logTime(project.id, { taskId: design.id, date, hours })).json().id);
    }
    const buildEntry = (await logTime(project.id, { taskId: build.id, date: '2026-03-04', hours: '0:20' })).json();
    const meeting = (await logTime(project.id, { taskId: meetings.id, date: '2026-03-04', hours: '2' })).json();

    const before = (await owner.request({ method: 'GET', url: `/api/v1/projects/${project.id}` })).json();
    // Design: 2 h × 50.00 = 100.00; Build: 0.3333 h × 80.00 = 26.664 → 26.66.
    assert.equal(before.totals.unbilledAmount, 12666);

    const response = await owner.request({
      method: 'POST',
      url: `/api/v1/projects/${project.id}/invoice`,
      payload: {},
    });
    assert.equal(response.statusCode, 201, response.body);
    const invoice = response.json();
    assert.match(invoice.id, /^inv_[0-9a-z]{26}$/);
    assert.equal(invoice.status, 'draft');
    assert.equal(invoice.customer.id, customerId);
    assert.equal(invoice.currency, 'USD');
    assert.equal(invoice.issueDate, '2026-03-15');
    assert.equal(invoice.dueDate, '2026-03-30');
    assert.deepEqual(
      invoice.lines.map((l: { name: string; quantity: string; rate: number; amount: number; description: string }) => [
        l.name,
        l.quantity,
        l.rate,
        l.amount,
        l.description,
      ]),
      [
        ['Build', '0.3333', 8000, 2666, 'Shop: 2026-03-04'],
        ['Design', '2', 5000, 10000, 'Shop: 2026-03-01 to 2026-03-05'],
      ],
    );
    assert.equal(invoice.subtotal, 12666);
    assert.equal(invoice.total, 12666);
    assert.equal(invoice.balance, 12666);

    const lines = await harness.ctx.db.kysely
      .selectFrom('invoiceLines')
      .select(['name', 'timeEntryIds'])
      .where('documentId', '=', invoice.id)
      .orderBy('position')
      .execute();
    assert.deepEqual(JSON.parse(lines[0]?.timeEntryIds ?? '[]'), [buildEntry.id]);
    assert.deepEqual(JSON.parse(lines[1]?.timeEntryIds ?? '[]').sort(), [...designEntries].sort());

    const entries = (
      await owner.request({ method: 'GET', url: `/api/v1/projects/${project.id}/time-entries?limit=100` })
    ).json().data;
    for (const entry of entries) {
      if (entry.id === meeting.id) {
        assert.equal(entry.status, 'unbilled');
        assert.equal(entry.invoiceId, null);
      } else {
        assert.equal(entry.status, 'invoiced', entry.id);
        assert.equal(entry.invoiceId, invoice.id);
      }
    }

    const after = (await owner.request({ method: 'GET', url: `/api/v1/projects/${project.id}` })).json();
    const byName = Object.fromEntries(after.tasks.map((t: TaskBody) => [t.name, t]));
    assert.deepEqual(
      [byName.Design.loggedMinutes, byName.Design.billedMinutes, byName.Design.unbilledMinutes],
      [120, 120, 0],
    );
    assert.deepEqual(
      [byName.Build.loggedMinutes, byName.Build.billedMinutes, byName.Build.unbilledMinutes],
      [20, 20, 0],
    );
    assert.deepEqual(
      [byName.Meetings.loggedMinutes, byName.Meetings.billedMinutes, byName.Meetings.unbilledMinutes],
      [120, 0, 0],
    );
    assert.deepEqual(after.totals, {
      loggedMinutes: 260,
      billableMinutes: 140,
      billedMinutes: 140,
      unbilledMinutes: 0,
      unbilledAmount: 0,
      approvedAmount: null,
    });

    // Invoiced time is part of the books now.
    const edit = await owner.request({
      method: 'PATCH',
      url: `/api/v1/projects/${project.id}/time-entries/${buildEntry.id}`,
      payload: { hours: '5' },
    });
    assert.equal(edit.statusCode, 409);
    assert.equal(edit.json().code, 'conflict');
    const remove = await owner.request({
      method: 'DELETE',
      url: `/api/v1/projects/${project.id}/time-entries/${buildEntry.id}`,
    });
    assert.equal(remove.statusCode, 409);
    const deleteProject = await owner.request({ method: 'DELETE', url: `/api/v1/projects/${project.id}` });
    assert.equal(deleteProject.statusCode, 409);
    const nothingLeft = await owner.request({
      method: 'POST',
      url: `/api/v1/projects/${project.id}/invoice`,
      payload: {},
    });
    assert.equal(nothingLeft.statusCode, 409);
  });

  test('invoices chosen entries on a chosen date; refuses invoiced, non-billable and unknown entries', async () => {
    const project = await newProject({ name: 'Chosen' });
    const task = await newTask(project.id, { name: 'Build', rate: 6000 });
    const offTask = await newTask(project.id, { name: 'Admin', billable: false });
    const elsewhere = await newProject({ name: 'Elsewhere' });
    const elsewhereTask = await newTask(elsewhere.id, { name: 'Other' });
    const a = (await logTime(project.id, { taskId: task.id, date: '2026-03-02', hours: '1.25' })).json();
    const b = (await logTime(project.id, { taskId: task.id, date: '2026-03-03', hours: '3' })).json();
    const admin = (await logTime(project.id, { taskId: offTask.id, date: '2026-03-03', hours: '1' })).json();
    const foreign = (await logTime(elsewhere.id, { taskId: elsewhereTask.id, date: '2026-03-03', hours: '1' })).json();

    const invoices = await invoiceCount();
    const url = `/api/v1/projects/${project.id}/invoice`;
    for (const [payload, status] of [
      [{ timeEntryIds: [a.id, admin.id] }, 409],
      [{ timeEntryIds: [a.id, foreign.id] }, 400],
      [{ timeEntryIds: [a.id, 'te_00000000000000000000000000'] }, 400],
      [{ timeEntryIds: [] }, 400],
      [{ timeEntryIds: [a.id, a.id] }, 400],
      [{ timeEntryIds: [a.id], date: '2026-02-30' }, 400],
      [{ timeEntryIds: [a.id], dueDate: '2026-04-01' }, 400],
    ] as const) {
      const response = await owner.request({ method: 'POST', url, payload });
      assert.equal(response.statusCode, status, `${JSON.stringify(payload)} → ${response.body}`);
    }
    assert.equal(await invoiceCount(), invoices);
    assert.equal(
      (await owner.request({ method: 'GET', url: `/api/v1/projects/${project.id}` })).json().totals.billedMinutes,
      0,
    );

    const first = await owner.request({ method: 'POST', url, payload: { timeEntryIds: [a.id], date: '2026-03-10' } });
    assert.equal(first.statusCode, 201, first.body);
    const invoice = first.json();
    assert.equal(invoice.issueDate, '2026-03-10');
    assert.equal(invoice.dueDate, '2026-03-25');
    assert.equal(invoice.lines.length, 1);
    assert.equal(invoice.lines[0].quantity, '1.25');
    assert.equal(invoice.total, 7500);

    const again = await owner.request({ method: 'POST', url, payload: { timeEntryIds: [b.id, a.id] } });
    assert.equal(again.statusCode, 409);
    assert.match(again.json().detail, /already invoiced/);
    const detail = (await owner.request({ method: 'GET', url: `/api/v1/projects/${project.id}` })).json();
    assert.equal(detail.totals.billedMinutes, 75);
    assert.equal(detail.totals.unbilledMinutes, 180);
    assert.equal(detail.totals.unbilledAmount, 18000);
    const byStatus = (
      await owner.request({ method: 'GET', url: `/api/v1/projects/${project.id}/time-entries?status=invoiced` })
    ).json();
    assert.deepEqual(
      byStatus.data.map((e: { id: string }) => e.id),
      [a.id],
    );
  });

  test('project hours bill every task at the project rate; fixed-price projects are not invoiced from time', async () => {
    const hourly = await newProject({ name: 'Hourly', billingMethod: 'project_hours', rate: 12000 });
    const t1 = await newTask(hourly.id, { name: 'Research', rate: 1 });
    const t2 = await newTask(hourly.id, { name: 'Writing' });
    await logTime(hourly.id, { taskId: t1.id, date: '2026-03-02', hours: '0:45' });
    await logTime(hourly.id, { taskId: t2.id, date: '2026-03-02', hours: '1:40' });
    const response = await owner.request({ method: 'POST', url: `/api/v1/projects/${hourly.id}/invoice`, payload: {} });
    assert.equal(response.statusCode, 201, response.body);
    const invoice = response.json();
    assert.deepEqual(
      invoice.lines.map((l: { name: string; quantity: string; rate: number; amount: number }) => [
        l.name,
        l.quantity,
        l.rate,
        l.amount,
      ]),
      [
        ['Research', '0.75', 12000, 9000],
        ['Writing', '1.6667', 12000, 20000],
      ],
    );
    assert.equal(invoice.total, 29000);

    const fixed = await newProject({ name: 'Fixed', billingMethod: 'fixed' });
    const task = await newTask(fixed.id, { name: 'Work', rate: 1000 });
    await logTime(fixed.id, { taskId: task.id, date: '2026-03-02', hours: '1' });
    const detail = (await owner.request({ method: 'GET', url: `/api/v1/projects/${fixed.id}` })).json();
    assert.equal(detail.totals.unbilledAmount, null);
    const invoices = await invoiceCount();
    const refused = await owner.request({ method: 'POST', url: `/api/v1/projects/${fixed.id}/invoice`, payload: {} });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.json().detail, /fixed price/);
    assert.equal(await invoiceCount(), invoices);
  });

  test('deleting the draft invoice makes its time unbilled again', async () => {
    const project = await newProject({ name: 'Undo' });
    const task = await newTask(project.id, { name: 'Build', rate: 1000 });
    await logTime(project.id, { taskId: task.id, date: '2026-03-02', hours: '2' });
    const invoice = (
      await owner.request({ method: 'POST', url: `/api/v1/projects/${project.id}/invoice`, payload: {} })
    ).json();
    assert.equal(
      (await owner.request({ method: 'GET', url: `/api/v1/projects/${project.id}` })).json().totals.billedMinutes,
      120,
    );
    const removed = await owner.request({ method: 'DELETE', url: `/api/v1/invoices/${invoice.id}` });
    assert.equal(removed.statusCode, 204, removed.body);
    const detail = (await owner.request({ method: 'GET', url: `/api/v1/projects/${project.id}` })).json();
    assert.equal(detail.totals.billedMinutes, 0);
    assert.equal(detail.totals.unbilledMinutes, 120);
    const again = await owner.request({ method: 'POST', url: `/api/v1/projects/${project.id}/invoice`, payload: {} });
    assert.equal(again.statusCode, 201);
  });

  test('voiding the invoice makes its time unbilled again', async () => {
    const project = await newProject({ name: 'Void' });
    const task = await newTask(project.id, { name: 'Build', rate: 1000 });
    await logTime(project.id, { taskId: task.id, date: '2026-03-02', hours: '1.5' });
    const invoice = (
      await owner.request({ method: 'POST', url: `/api/v1/projects/${project.id}/invoice`, payload: {} })
    ).json();
    assert.equal((await owner.request({ method: 'POST', url: `/api/v1/invoices/${invoice.id}/send` })).statusCode, 200);
    const voided = await owner.request({ method: 'POST', url: `/api/v1/invoices/${invoice.id}/void` });
    assert.equal(voided.statusCode, 200, voided.body);
    const detail = (await owner.request({ method: 'GET', url: `/api/v1/projects/${project.id}` })).json();
    assert.equal(detail.totals.billedMinutes, 0);
    assert.equal(detail.totals.unbilledMinutes, 90);
  });

  test('two concurrent invoicing requests bill the same time once', async () => {
    const project = await newProject({ name: 'Race' });
    const task = await newTask(project.id, { name: 'Build', rate: 1000 });
    for (const date of ['2026-03-02', '2026-03-03', '2026-03-04']) {
      await logTime(project.id, { taskId: task.id, date, hours: '1' });
    }
    const invoices = await invoiceCount();
    const url = `/api/v1/projects/${project.id}/invoice`;
    const results = await Promise.all([
      owner.request({ method: 'POST', url, payload: {} }),
      owner.request({ method: 'POST', url, payload: {} }),
    ]);
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [201, 409]);
    assert.equal(await invoiceCount(), invoices + 1);
    const detail = (await owner.request({ method: 'GET', url: `/api/v1/projects/${project.id}` })).json();
    assert.equal(detail.totals.billedMinutes, 180);
  });

  test("another organization's project, task and entry ids answer 404 on every route, like missing ones", async () => {
    const project = await newProject();
    const task = await newTask(project.id, { name: 'Build', rate: 1000 });
    const entry = (await logTime(project.id, { taskId: task.id, date: '2026-03-04', hours: '1' })).json();
    const missing = 'prj_00000000000000000000000000';
    const p = `/api/v1/projects/${project.id}`;
    const routes: Array<{ method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: object }> = [
      { method: 'GET', url: p },
      { method: 'PATCH', url: p, payload: { name: 'Stolen' } },
      { method: 'POST', url: `${p}/deactivate` },
      { method: 'POST', url: `${p}/activate` },
      { method: 'GET', url: `${p}/tasks` },
      { method: 'POST', url: `${p}/tasks`, payload: { name: 'Sneaky' } },
      { method: 'PATCH', url: `${p}/tasks/${task.id}`, payload: { name: 'Stolen' } },
      { method: 'DELETE', url: `${p}/tasks/${task.id}` },
      { method: 'GET', url: `${p}/time-entries` },
      { method: 'POST', url: `${p}/time-entries`, payload: { taskId: task.id, date: '2026-03-04', hours: '1' } },
      { method: 'GET', url: `${p}/time-entries/${entry.id}` },
      { method: 'PATCH', url: `${p}/time-entries/${entry.id}`, payload: { hours: '9' } },
      { method: 'DELETE', url: `${p}/time-entries/${entry.id}` },
      { method: 'POST', url: `${p}/invoice`, payload: {} },
      { method: 'DELETE', url: p },
    ];
    for (const route of routes) {
      const foreign = await otherOrg.request(route);
      assert.equal(foreign.statusCode, 404, `${route.method} ${route.url}: ${foreign.body}`);
      const absent = await otherOrg.request({ ...route, url: route.url.replace(project.id, missing) });
      assert.deepEqual(foreign.json(), absent.json(), `${route.method} ${route.url}`);
    }
    const theirs = (await otherOrg.request({ method: 'GET', url: '/api/v1/projects?limit=100' })).json();
    assert.equal(
      theirs.data.some((x: { id: string }) => x.id === project.id),
      false,
    );
    const still = (await owner.request({ method: 'GET', url: p })).json();
    assert.equal(still.name, 'Website');
    assert.equal(still.status, 'active');
    assert.equal(still.totals.loggedMinutes, 60);
  });
});
