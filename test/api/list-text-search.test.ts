import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { textSearch } from '../../src/db/text-search.js';
import { createCustomer, recordPayment } from '../support/books.js';
import { testDialect } from '../support/database.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';

/**
 * `q` on the business's lists of documents and payments: "text found in the number, the reference or the
 * customer's name", served by the trigram indexes (migration 0025) when the matches are few and by the walk
 * newest first otherwise. Both ways must answer what a plain "contains, ignoring case" over every row answers.
 */

const LISTS = ['invoices', 'estimates', 'retainer-invoices', 'payments'] as const;
type List = (typeof LISTS)[number];

interface Row {
  id: string;
  number: string;
  reference: string | null;
  status?: string;
  customerId?: string;
  customerName?: string;
  customer?: { id: string; displayName: string };
  issueDate?: string;
  date?: string;
}

describe('text search on the business lists', () => {
  let harness: Harness;
  let owner: Actor;
  const customers: Record<string, string> = {};
  const invoices: Record<string, { id: string; number: string }> = {};

  const post = async (actor: Actor, url: string, payload: object = {}) => {
    const response = await actor.request({ method: 'POST', url: `/api/v1${url}`, payload });
    assert.ok(response.statusCode < 300, `${url}: ${response.statusCode} ${response.body}`);
    return response.json() as { id: string; number: string };
  };
  const patch = async (url: string, payload: object) => {
    const response = await owner.request({ method: 'PATCH', url: `/api/v1${url}`, payload });
    assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
  };
  const invoice = (customer: string, reference: string | null, issueDate: string) =>
    post(owner, '/invoices', {
      customerId: customers[customer],
      reference,
      issueDate,
      dueDate: '2026-06-30',
      lines: [{ name: 'Work', quantity: '1', rate: 1000 }],
    });

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness, { name: 'Search Ltd' });
    customers.zephyr = await createCustomer(owner, { displayName: 'Zephyr Bakery' });
    customers.quokka = await createCustomer(owner, { displayName: 'Quokka Labs' });
    customers.plain = await createCustomer(owner, { displayName: 'Plain Co' });

    invoices.orchard = await invoice('zephyr', 'PO-77 Orchard', '2026-01-05');
    invoices.percent = await invoice('quokka', '50%_off deal', '2026-02-10');
    invoices.draft = await invoice('plain', 'orchard renewal', '2026-03-15');
    invoices.letters = await invoice('plain', 'A1B2', '2026-03-20');
    invoices.voided = await invoice('plain', 'void me', '2026-03-25');
    invoices.gone = await invoice('zephyr', 'delete me', '2026-03-26');
    for (const key of ['orchard', 'percent', 'letters', 'voided']) {
      await post(owner, `/invoices/${invoices[key]?.id}/send`);
    }
    await post(owner, `/invoices/${invoices.voided?.id}/void`);
    // Same-day documents: the keyset's id decides their order.
    for (const [customer, reference] of [
      ['zephyr', 'Orchard shed'],
      ['quokka', 'orchard gate'],
      ['plain', 'Pear & orchard'],
    ] as const) {
      await invoice(customer, reference, '2026-02-20');
    }

    const words = ['orchard', 'Pear', 'quokka', 'x_y', 'Gate', '50%', 'A1B2', 'hive'];
    for (const [index, customer] of ['zephyr', 'quokka', 'plain', 'zephyr', 'quokka'].entries()) {
      const reference = `${words[index]} ${words[(index * 3 + 1) % words.length]}`;
      const day = `2026-0${1 + (index % 3)}-1${index}`;
      const estimate = await post(owner, '/estimates', {
        customerId: customers[customer],
        reference,
        issueDate: day,
        lines: [{ name: 'Proposal', quantity: '1', rate: 500 }],
      });
      await post(owner, `/estimates/${estimate.id}/send`);
      await post(owner, '/retainer-invoices', {
        customerId: customers[customer],
        reference,
        issueDate: day,
        lines: [{ description: 'Advance', amount: 700 }],
      });
      const payment = await recordPayment(owner, {
        customerId: customers[customer],
        amount: 100,
        reference,
        date: day,
      });
      assert.equal(payment.statusCode, 201, payment.body);
    }

    // Another organization's documents never show, whichever way the search goes.
    const other = await createOrgAndSignIn(harness, { name: 'Elsewhere Inc' });
    const stranger = await createCustomer(other, { displayName: 'Zephyr Orchard Stranger' });
    await post(other, '/invoices', {
      customerId: stranger,
      reference: 'Orchard 50%_off A1B2',
      issueDate: '2026-02-01',
      lines: [{ name: 'Work', quantity: '1', rate: 1000 }],
    });
  });
  after(() => harness?.close());

  /** Every row of a list with the query (the ids in list order), read a page of `limit` at a time. */
  async function all(list: List, query: string, limit = 2): Promise<Row[]> {
    const rows: Row[] = [];
    let cursor = '';
    for (let page = 0; page < 100; page++) {
      const url = `/api/v1/${list}?limit=${limit}${query ? `&${query}` : ''}${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await owner.request({ method: 'GET', url });
      assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
      const body = response.json() as { data: Row[]; nextCursor: string | null };
      rows.push(...body.data);
      if (!body.nextCursor) return rows;
      cursor = body.nextCursor;
    }
    throw new Error('too many pages');
  }
  const ids = async (list: List, query: string) => (await all(list, query)).map((row) => row.id);
  const q = (text: string) => `q=${encodeURIComponent(text)}`;

  /** The plain recomputation: the list without `q`, kept where the text is in the number, reference or name. */
  async function expected(list: List, text: string, query = ''): Promise<string[]> {
    const needle = text.toLowerCase();
    const contains = (value: string | null | undefined) => (value ?? '').toLowerCase().includes(needle);
    return (await all(list, query, 100))
      .filter((row) => contains(row.number) || contains(row.reference) || contains(nameOf(row)))
      .map((row) => row.id);
  }
  const nameOf = (row: Row) => row.customer?.displayName ?? row.customerName;

  /** Runs the checks with the trigram path (the default) and with the walk (any match is "many"). */
  async function bothWays(check: (way: string) => Promise<void>) {
    const few = textSearch.fewMatches;
    try {
      await check('trigram index');
      textSearch.fewMatches = 0;
      await check('walk');
    } finally {
      textSearch.fewMatches = few;
    }
  }

  test('finds the number, the reference and the customer name, ignoring case, newest first', async () => {
    await bothWays(async (way) => {
      const number = invoices.orchard?.number ?? '';
      assert.deepEqual(await ids('invoices', q(number.toLowerCase())), [invoices.orchard?.id], way);
      const orchard = await ids('invoices', q('ORCHARD'));
      assert.equal(orchard.length, 5, way);
      assert.equal(orchard[0], invoices.draft?.id, way);
      assert.equal(orchard.at(-1), invoices.orchard?.id, way);
      assert.deepEqual(orchard, await expected('invoices', 'orchard'), way);
      assert.deepEqual(
        (await all('invoices', q('zephyr bak'))).map((row) => row.customer?.displayName),
        ['Zephyr Bakery', 'Zephyr Bakery', 'Zephyr Bakery'],
        way,
      );
      assert.deepEqual(await ids('invoices', q('no such words')), [], way);
    });
  });

  test('takes % and _ literally', async () => {
    await bothWays(async (way) => {
      assert.deepEqual(await ids('invoices', q('0%_o')), [invoices.percent?.id], way);
      assert.deepEqual(await ids('invoices', q('50%')), [invoices.percent?.id], way);
      assert.deepEqual(await ids('invoices', q('1_2')), [], way);
      assert.deepEqual(await ids('invoices', q('a1b')), [invoices.letters?.id], way);
      assert.deepEqual(await ids('invoices', q('%')), [invoices.percent?.id], way);
      assert.deepEqual(await ids('invoices', q('_')), [invoices.percent?.id], way);
      assert.deepEqual(await ids('invoices', q('"')), [], way);
      assert.deepEqual(await ids('invoices', q('"or')), [], way);
      assert.deepEqual(await ids('invoices', q('ÉCOLE İst')), [], way);
    });
  });

  test('one or two characters walk newest first and answer the same', async () => {
    for (const text of ['o', 'rd', 'Ze', '7', '-']) {
      for (const list of LISTS) {
        const found = await ids(list, q(text));
        assert.deepEqual(found, await expected(list, text), `${list} ${text}`);
      }
    }
    assert.ok((await ids('invoices', q('rd'))).length >= 5);
  });

  test('the cursor pages through the matches, and the filters combine with the text', async () => {
    await bothWays(async (way) => {
      const one = await all('invoices', q('orchard'), 1);
      assert.deepEqual(
        one.map((row) => row.id),
        await expected('invoices', 'orchard'),
        way,
      );
      const plain = customers.plain ?? '';
      assert.deepEqual(
        await ids('invoices', `${q('orchard')}&customerId=${plain}`),
        await expected('invoices', 'orchard', `customerId=${plain}`),
        way,
      );
      assert.equal((await ids('invoices', `${q('orchard')}&customerId=${plain}`)).length, 2, way);
      const drafts = await ids('invoices', `${q('orchard')}&status=draft`);
      assert.deepEqual(drafts, await expected('invoices', 'orchard', 'status=draft'), way);
      assert.equal(drafts.length, 4, way);
      assert.equal(drafts[0], invoices.draft?.id, way);
      const february = 'from=2026-02-01&to=2026-02-28';
      assert.deepEqual(
        await ids('invoices', `${q('orchard')}&${february}`),
        await expected('invoices', 'orchard', february),
        way,
      );
      assert.equal((await ids('invoices', `${q('orchard')}&${february}`)).length, 3, way);
      for (const list of LISTS) {
        const zephyr = customers.zephyr ?? '';
        const filters = `customerId=${zephyr}&from=2026-01-01&to=2026-02-28`;
        assert.deepEqual(
          await ids(list, `${q('orchard')}&${filters}`),
          await expected(list, 'orchard', filters),
          `${list} ${way}`,
        );
      }
    });
  });

  test('a renamed customer and an edited reference are found by their new text, not their old', async () => {
    await patch(`/customers/${customers.quokka}`, { displayName: 'Wombat Works' });
    await patch(`/invoices/${invoices.draft?.id}`, { reference: 'pear tree' });
    const deleted = await owner.request({ method: 'DELETE', url: `/api/v1/invoices/${invoices.gone?.id}` });
    assert.equal(deleted.statusCode, 204, deleted.body);
    await bothWays(async (way) => {
      for (const list of LISTS) {
        assert.deepEqual(await ids(list, q('quokka labs')), [], `${list} ${way}`);
        const wombat = await ids(list, q('wombat'));
        assert.ok(wombat.length > 0, `${list} ${way}`);
        assert.deepEqual(wombat, await expected(list, 'wombat'), `${list} ${way}`);
      }
      assert.deepEqual(await ids('invoices', q('pear tree')), [invoices.draft?.id], way);
      assert.ok(!(await ids('invoices', q('renewal'))).includes(invoices.draft?.id ?? ''), way);
      assert.deepEqual(await ids('invoices', q('delete me')), [], way);
      // A void invoice is listed, and found, as before.
      assert.deepEqual(await ids('invoices', q('void me')), [invoices.voided?.id], way);
    });
    if (testDialect === 'sqlite') {
      // The external-content indexes agree with their tables after the inserts, updates and deletes.
      for (const table of ['invoices', 'estimates', 'retainer_invoices', 'customer_payments', 'customers']) {
        const search = sql.table(`${table}_search`);
        await sql`insert into ${search}(${search}, rank) values ('integrity-check', 1)`.execute(harness.ctx.db.kysely);
      }
    }
  });

  test('after VACUUM (which rewrites every table) the search finds what a plain "contains" finds', {
    skip: testDialect !== 'sqlite' && 'VACUUM and rowids concern the SQLite indexes only',
  }, async () => {
    // The FTS tables point at their rows by rowid; a rowid that moved would make the search find another row.
    const before = await expected('invoices', 'orchard');
    await sql`vacuum`.execute(harness.ctx.db.kysely);
    await bothWays(async (way) => {
      assert.deepEqual(await ids('invoices', q('orchard')), before, way);
      assert.deepEqual(await ids('invoices', q('zephyr bak')), await expected('invoices', 'zephyr bak'), way);
    });
    for (const table of ['invoices', 'estimates', 'retainer_invoices', 'customer_payments', 'customers']) {
      const search = sql.table(`${table}_search`);
      await sql`insert into ${search}(${search}, rank) values ('integrity-check', 1)`.execute(harness.ctx.db.kysely);
    }
  });

  test('the customer list finds the display name, the company name and the e-mail; a deleted customer not', async () => {
    const made = {
      first: await createCustomer(owner, {
        displayName: 'Heron Design',
        companyName: 'Heron & Sons Ltd',
        email: 'ap@heron.example',
      }),
      second: await createCustomer(owner, {
        displayName: 'Kestrel 100%',
        companyName: null,
        email: 'books@kestrel.example',
      }),
      gone: await createCustomer(owner, { displayName: 'Heron Gone', email: 'old@heron.example' }),
    };
    const deleted = await owner.request({ method: 'DELETE', url: `/api/v1/customers/${made.gone}` });
    assert.equal(deleted.statusCode, 204, deleted.body);
    await patch(`/customers/${made.second}`, { companyName: 'Falcon Partners' });
    const names = async (text: string) => {
      const response = await owner.request({ method: 'GET', url: `/api/v1/customers?limit=100&${q(text)}` });
      assert.equal(response.statusCode, 200, response.body);
      return (response.json() as { data: Array<{ displayName: string }> }).data.map((row) => row.displayName);
    };
    /** Every customer, and which hold the text in a searched field. */
    const expectedNames = async (text: string) => {
      const response = await owner.request({ method: 'GET', url: '/api/v1/customers?limit=100' });
      const rows = (
        response.json() as { data: Array<{ displayName: string; companyName: string | null; email: string | null }> }
      ).data;
      const needle = text.toLowerCase();
      return rows
        .filter((row) =>
          [row.displayName, row.companyName, row.email].some((v) => (v ?? '').toLowerCase().includes(needle)),
        )
        .map((row) => row.displayName);
    };
    await bothWays(async (way) => {
      assert.deepEqual(await names('HERON'), ['Heron Design'], way);
      assert.deepEqual(await names('& sons'), ['Heron Design'], way);
      assert.deepEqual(await names('books@kest'), ['Kestrel 100%'], way);
      assert.deepEqual(await names('0%'), ['Kestrel 100%'], way);
      assert.deepEqual(await names('falcon'), ['Kestrel 100%'], way);
      assert.deepEqual(await names('old@heron'), [], way);
      for (const text of ['er', 'bakery', 'wombat', 'example', '.example', 'zzqx', 'e', 'labs']) {
        assert.deepEqual(await names(text), await expectedNames(text), `${text} ${way}`);
      }
    });
  });

  test('random words answer what a plain "contains" answers, on every list and both ways', async () => {
    let seed = 20261207;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const texts: string[] = [];
    const alphabet = 'abcdeghlnoprstwz %_-0127';
    for (const list of LISTS) {
      const rows = await all(list, '', 100);
      for (let i = 0; i < 6; i++) {
        // A piece of a row's text (found), or random letters (mostly not).
        const row = rows[Math.floor(random() * rows.length)];
        const source = [row?.number, row?.reference, row ? nameOf(row) : ''][Math.floor(random() * 3)] ?? '';
        const start = Math.floor(random() * Math.max(1, source.length - 3));
        const length = 3 + Math.floor(random() * 4);
        const piece = source.slice(start, start + length);
        const made = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
        texts.push(random() < 0.5 ? piece.toUpperCase() : piece, made);
      }
    }
    await bothWays(async (way) => {
      for (const list of LISTS) {
        for (const text of texts.filter((t) => t.trim() !== '')) {
          assert.deepEqual(await ids(list, q(text)), await expected(list, text), `${list} "${text}" ${way}`);
        }
      }
    });
  });
});
