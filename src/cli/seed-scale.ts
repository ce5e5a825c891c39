/**
 * `portico seed --scale N`: N invoices for one organization, fast enough for millions (benchmarks, query plans).
 * Rows are written in bulk — multi-row INSERTs of 500 rows on SQLite, column arrays on PostgreSQL — in transactions
 * of 50,000 invoices, with the secondary indexes built once at the end, instead of through the services (which
 * would take hours). They are still what the services would write: totals from computeDocument, statuses from
 * invoiceStatusFor, a payment and its allocation behind every paid amount, numbers the sequences continue from.
 */
import { randomBytes } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import { CompiledQuery, sql } from 'kysely';
import type { AppContext } from '../context.js';
import { type IdPrefix, newId } from '../db/ids.js';
import { rebuildCustomerFigures } from '../db/migrations/0010_customer_figures.js';
import { rebuildTextSearch, SEARCHED, searchTableOf } from '../db/migrations/0025_text_search.js';
import { addDays, todayIn } from '../domain/dates.js';
import { computeDocument } from '../domain/document-math.js';
import { AppError } from '../domain/errors.js';
import { invoiceStatusFor } from '../domain/invoice-states.js';
import { createOrganization } from '../modules/organization/index.js';
import { CommandError, openRuntime, say } from './runtime.js';

export const SCALE_SLUG = 'scale-test';
export const SCALE_OWNER_EMAIL = 'scale@example.com';

const INVOICES_PER_CUSTOMER = 200;
const INVOICES_PER_TRANSACTION = 50_000;
/** Rows are handed to the database every this many invoices, which keeps the buffers (and the GC) small. */
const FLUSH_EVERY = 2_000;
const HISTORY_DAYS = 730;
const TAX = { name: 'Sales tax', rate: '8.25' };

export interface ScaleResult {
  organizationId: string;
  ownerEmail: string;
  password: string;
  customers: number;
  invoices: number;
  invoiceLines: number;
  payments: number;
  /** A customer with the usual mix of invoices, for benchmarks that filter by customer. */
  sampleCustomerId: string;
  seconds: number;
}

/** A small, seeded generator: the same N gives the same data, which keeps benchmark runs comparable. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}

/**
 * Ids in Portico's format (`inv_` + 26 base32 characters) but ordered like ULIDs: 10 characters of a counter that
 * starts at the clock, then 16 random ones (80 bits, still unguessable). Real ids are fully random; with millions
 * of random keys every transaction would rewrite nearly every page of every primary-key index, which made this
 * seeding several times slower. The order changes where rows land in the B-trees, not what the lists read.
 */
function idFactory() {
  const alphabet = Buffer.from('0123456789abcdefghjkmnpqrstvwxyz', 'latin1');
  let pool = Buffer.alloc(0);
  let offset = 0;
  // Milliseconds × 256 stays below 32^10 for centuries, so the 10-character prefix never wraps.
  let counter = Date.now() * 256;
  const head = Buffer.alloc(10);
  return (prefix: IdPrefix): string => {
    if (offset + 16 > pool.length) {
      pool = randomBytes(16 * 8192);
      for (let i = 0; i < pool.length; i++) pool[i] = alphabet[(pool[i] ?? 0) & 31] ?? 48;
      offset = 0;
    }
    counter++;
    let rest = counter;
    for (let i = 9; i >= 0; i--) {
      head[i] = alphabet[rest % 32] ?? 48;
      rest = Math.floor(rest / 32);
    }
    offset += 16;
    return `${prefix}_${head.toString('latin1')}${pool.toString('latin1', offset - 16, offset)}`;
  };
}

const CATALOG = [
  { name: 'Design', rate: 12_000, quantities: ['1', '2', '3.5', '6', '8'] },
  { name: 'Development', rate: 15_000, quantities: ['2', '4', '7.5', '10', '16'] },
  { name: 'Consulting', rate: 20_000, quantities: ['1', '1.5', '2', '3'] },
  { name: 'Photography', rate: 95_000, quantities: ['1', '2'] },
  { name: 'Printing', rate: 950, quantities: ['50', '100', '250', '500'] },
  { name: 'Hosting', rate: 4_500, quantities: ['1', '3', '12'] },
  { name: 'Support plan', rate: 45_000, quantities: ['1'] },
  { name: 'Copywriting', rate: 8_500, quantities: ['2', '4', '12'] },
  { name: 'Travel', rate: 32_000, quantities: ['1'] },
  { name: 'Licences', rate: 2_999, quantities: ['5', '10', '25'] },
] as const;

interface Shape {
  lines: Array<{ name: string; quantity: string; rate: number; taxed: boolean; amount: number; net: number }>;
  subtotal: number;
  taxTotal: number;
  total: number;
}

/**
 * A few thousand distinct invoice contents (1–3 lines), each priced once by computeDocument; invoices pick
 * one. Pricing every invoice separately would give the same kind of data several times slower.
 */
function invoiceShapes(random: ReturnType<typeof generator>, count: number): Shape[] {
  const shapes: Shape[] = [];
  for (let i = 0; i < count; i++) {
    const lines = Array.from({ length: random.int(1, 3) }, () => {
      const item = random.pick(CATALOG);
      return { name: item.name, quantity: random.pick(item.quantities), rate: item.rate, taxed: random.next() < 0.7 };
    });
    const totals = computeDocument({
      lines: lines.map((line) => ({ quantity: line.quantity, rate: line.rate, taxRate: line.taxed ? TAX.rate : null })),
      taxRounding: 'line',
    });
    shapes.push({
      lines: lines.map((line, index) => ({
        ...line,
        amount: totals.lines[index]?.amount ?? 0,
        net: totals.lines[index]?.net ?? 0,
      })),
      subtotal: totals.subtotal,
      taxTotal: totals.taxTotal,
      total: totals.total,
    });
  }
  return shapes;
}

/** Rows of one table waiting to be written, as one flat list of values (column after column, row after row). */
class PendingRows {
  values: unknown[] = [];
  count = 0;
  constructor(
    readonly table: string,
    readonly columns: readonly string[],
  ) {}
  add(...row: unknown[]): void {
    this.values.push(...row);
    this.count++;
  }
  clear(): void {
    this.values = [];
    this.count = 0;
  }
}

/** Writes pending rows in bulk, inside transactions. */
interface BulkWriter {
  /** Runs `work` in one transaction; `write` inserts the pending rows (then clears them) and returns how many. */
  inTransaction(work: (write: (rows: PendingRows) => Promise<number>) => Promise<void>): Promise<void>;
  close(): void;
}

/** `insert into t (a,b) values (?,?),(?,?),…` for `count` rows. */
function insertText(rows: PendingRows, count: number): string {
  const tuple = `(${rows.columns.map(() => '?').join(',')})`;
  return `insert into ${rows.table} (${rows.columns.join(',')}) values ${Array(count).fill(tuple).join(',')}`;
}

/**
 * SQLite: a second connection to the same file, through better-sqlite3 itself (the one dialect-specific part of
 * this file, for speed). Kysely prepares every statement anew, and preparing a multi-row INSERT costs about as much
 * as running it; here each 500-row INSERT is prepared once and reused. Foreign keys are not checked on this
 * connection (better-sqlite3 turns them on by default): the rows are consistent by construction.
 */
function sqliteWriter(file: string): BulkWriter {
  const connection = new SQLite(file);
  connection.pragma('foreign_keys = OFF');
  connection.pragma('busy_timeout = 5000');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('cache_size = -1048576');
  const statements = new Map<string, SQLite.Statement>();
  const rowsPerStatement = 500;
  const statementFor = (rows: PendingRows, count: number) => {
    const key = `${rows.table}:${count}`;
    let statement = statements.get(key);
    if (!statement) {
      statement = connection.prepare(insertText(rows, count));
      statements.set(key, statement);
    }
    return statement;
  };
  const write = async (rows: PendingRows) => {
    const width = rows.columns.length;
    for (let start = 0; start < rows.count; start += rowsPerStatement) {
      const count = Math.min(rowsPerStatement, rows.count - start);
      statementFor(rows, count).run(rows.values.slice(start * width, (start + count) * width));
    }
    const written = rows.count;
    rows.clear();
    return written;
  };
  return {
    async inTransaction(work) {
      connection.exec('begin immediate');
      try {
        await work(write);
        connection.exec('commit');
      } catch (error) {
        connection.exec('rollback');
        throw error;
      }
    },
    close: () => connection.close(),
  };
}

/**
 * PostgreSQL: one `INSERT … SELECT * FROM unnest($1::text[], $2::int8[], …)` per table and flush — one array
 * parameter per column instead of one parameter per value, which PostgreSQL parses and plans in no time.
 */
function postgresWriter(db: AppContext['db']['kysely']): BulkWriter {
  const statements = new Map<string, string>();
  const statementFor = async (rows: PendingRows): Promise<string> => {
    let text = statements.get(rows.table);
    if (text === undefined) {
      const { rows: types } = await sql<{ column: string; type: string }>`
        select column_name as column, udt_name as type from information_schema.columns
        where table_schema = current_schema() and table_name = ${rows.table}`.execute(db);
      const typeOf = new Map(types.map((t) => [t.column, t.type]));
      const arrays = rows.columns.map((column, i) => `$${i + 1}::${typeOf.get(column) ?? 'text'}[]`);
      text = `insert into ${rows.table} (${rows.columns.join(',')}) select * from unnest(${arrays.join(',')})`;
      statements.set(rows.table, text);
    }
    return text;
  };
  return {
    async inTransaction(work) {
      await db.transaction().execute(async (trx) => {
        await work(async (rows) => {
          const width = rows.columns.length;
          const columns = rows.columns.map((_, c) => {
            const values: unknown[] = new Array(rows.count);
            for (let r = 0; r < rows.count; r++) values[r] = rows.values[r * width + c];
            return values;
          });
          if (rows.count > 0) await trx.executeQuery(CompiledQuery.raw(await statementFor(rows), columns));
          const written = rows.count;
          rows.clear();
          return written;
        });
      });
    },
    close: () => {},
  };
}

const ADJECTIVES = ['Amber', 'Blue', 'Cedar', 'Golden', 'Harbor', 'Iron', 'Maple', 'North', 'Silver', 'Summit'];
const NOUNS = ['Bakery', 'Studio', 'Dental', 'Logistics', 'Architects', 'Foods', 'Clinic', 'Works', 'Labs', 'Media'];
const SUFFIXES = ['Co.', 'LLC', 'Inc.', 'Ltd', 'Group'];
const MODES = ['bank_transfer', 'card', 'check', 'cash'] as const;

/** What a generated invoice ends up as, given how old it is: recent ones are mostly open, old ones mostly paid. */
type Fate = 'draft' | 'open' | 'partial' | 'paid' | 'void';

function fateOf(random: ReturnType<typeof generator>, isPastDue: boolean): Fate {
  const roll = random.next();
  if (!isPastDue) return roll < 0.05 ? 'draft' : roll < 0.6 ? 'open' : roll < 0.7 ? 'partial' : 'paid';
  return roll < 0.87 ? 'paid' : roll < 0.93 ? 'open' : roll < 0.97 ? 'partial' : 'void';
}

/** The tables that get millions of rows. */
const BULK_TABLES = ['invoices', 'invoice_lines', 'customer_payments', 'payment_allocations'];
/** Those whose text is searched (migration 0025). */
const SEARCHED_BULK_TABLES = BULK_TABLES.filter((table) => SEARCHED.some((searched) => searched.table === table));

/**
 * PostgreSQL: the bulk tables' triggers (portal versions, customer figures) would run for each of millions of rows
 * — most of the load's time. They are set aside for the load (as table owner: `DISABLE TRIGGER USER`, foreign keys
 * still checked) and what they keep is computed once afterwards. So `seed --scale` is for a database of its own
 * (a benchmark's), never one a server is writing to meanwhile. SQLite's triggers are cheap enough to keep (but
 * the text search's: `deferTextSearch`).
 */
async function pauseTriggers(ctx: AppContext): Promise<boolean> {
  if (ctx.db.dialect !== 'postgres') return false;
  for (const table of BULK_TABLES)
    await sql`alter table ${sql.table(table)} disable trigger user`.execute(ctx.db.kysely);
  return true;
}

async function resumeTriggers(ctx: AppContext, organizationId: string, progress: (line: string) => void) {
  const db = ctx.db.kysely;
  for (const table of BULK_TABLES) await sql`alter table ${sql.table(table)} enable trigger user`.execute(db);
  progress('computing the customers’ figures…');
  await rebuildCustomerFigures(db);
  // What the paused triggers would have moved: the organization's customers' portal versions.
  await db
    .updateTable('customers')
    .set((eb) => ({ portalVersion: eb('portalVersion', '+', 1) }))
    .where('organizationId', '=', organizationId)
    .execute();
}

interface IndexDefinition {
  name: string;
  definition: string;
}

/**
 * Drops the secondary indexes of the bulk tables (not those behind primary keys and unique constraints) and
 * returns their exact CREATE statements, read from the catalog: building an index once over sorted data is far
 * faster than updating it row by row, and the statements stay true to whatever the migrations made.
 */
async function deferIndexes(ctx: AppContext): Promise<IndexDefinition[]> {
  const db = ctx.db.kysely;
  const { rows } =
    ctx.db.dialect === 'sqlite'
      ? await sql<IndexDefinition>`
          select name, sql as definition from sqlite_master
          where type = 'index' and sql is not null and tbl_name in (${sql.join(BULK_TABLES)})`.execute(db)
      : await sql<IndexDefinition>`
          select i.indexname as name, i.indexdef as definition from pg_indexes i
          where i.schemaname = current_schema() and i.tablename in (${sql.join(BULK_TABLES)})
            and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(db);
  for (const index of rows) await sql`drop index ${sql.id(index.name)}`.execute(db);
  return rows;
}

async function restoreIndexes(ctx: AppContext, indexes: IndexDefinition[]): Promise<void> {
  for (const index of indexes) await sql.raw(index.definition).execute(ctx.db.kysely);
}

/**
 * SQLite: the triggers keeping the bulk tables' text search (migration 0025) are set aside for the load too, and
 * their FTS5 indexes made again from the rows after it: rebuilding once costs a fraction of indexing row by row
 * (PostgreSQL's trigram indexes are secondary indexes, deferred with the others). Their exact CREATE statements
 * are read from the catalog, as the indexes' are.
 */
async function deferTextSearch(ctx: AppContext): Promise<IndexDefinition[]> {
  if (ctx.db.dialect !== 'sqlite') return [];
  const db = ctx.db.kysely;
  const names = SEARCHED_BULK_TABLES.flatMap((table) =>
    ['insert', 'update', 'delete'].map((event) => `${searchTableOf(table)}_${event}`),
  );
  const { rows } = await sql<IndexDefinition>`
    select name, sql as definition from sqlite_master where type = 'trigger' and name in (${sql.join(names)})`.execute(
    db,
  );
  for (const trigger of rows) await sql`drop trigger ${sql.id(trigger.name)}`.execute(db);
  return rows;
}

async function restoreTextSearch(ctx: AppContext, triggers: IndexDefinition[]): Promise<void> {
  if (triggers.length === 0) return;
  for (const trigger of triggers) await sql.raw(trigger.definition).execute(ctx.db.kysely);
  await rebuildTextSearch(ctx.db.kysely, SEARCHED_BULK_TABLES);
}

export async function seedScale(
  ctx: AppContext,
  options: {
    invoices: number;
    /**
     * How many customers share the invoices (default: one per 200 invoices). The traffic benchmark needs a few
     * hundred distinct customers even at 10,000 invoices.
     */
    customers?: number;
    password?: string;
    progress?: (line: string) => void;
    signal?: AbortSignal;
  },
): Promise<ScaleResult> {
  const started = performance.now();
  const progress = options.progress ?? (() => {});
  const db = ctx.db.kysely;
  const taken = await db.selectFrom('organizations').select('id').where('slug', '=', SCALE_SLUG).executeTakeFirst();
  if (taken) {
    throw new AppError('conflict', `The organization "${SCALE_SLUG}" exists already: seed a fresh database instead.`);
  }

  const password = options.password ?? randomBytes(18).toString('base64url');
  const { organizationId, userId } = await createOrganization(ctx, {
    name: 'Scale Test',
    slug: SCALE_SLUG,
    baseCurrency: 'USD',
    timeZone: 'UTC',
    owner: { email: SCALE_OWNER_EMAIL, name: 'Scale Owner', password },
  });

  const random = generator(options.invoices);
  const id = idFactory();
  const today = todayIn('UTC', ctx.now());
  // Every date the generator uses, computed once: dates[k] is k days after the first day of history.
  const dates = Array.from({ length: HISTORY_DAYS + 31 }, (_, k) => addDays(today, k - HISTORY_DAYS));
  const dateAt = (k: number) => dates[k] as string;
  /** A day that has happened: payments and voids are never in the future. */
  const pastDateAt = (k: number) => dateAt(Math.min(k, HISTORY_DAYS));
  const stamp = (date: string) => `${date}T10:00:00.000Z`;
  const firstDay = dateAt(0);

  const taxId = newId('tax');
  await db
    .insertInto('taxes')
    .values({
      id: taxId,
      organizationId,
      name: TAX.name,
      rate: TAX.rate,
      isDefault: 1,
      createdAt: stamp(firstDay),
      updatedAt: stamp(firstDay),
    })
    .execute();

  const customers = new PendingRows('customers', [
    'id',
    'organization_id',
    'display_name',
    'company_name',
    'email',
    'currency',
    'created_at',
    'updated_at',
  ]);
  const contacts = new PendingRows('contact_persons', [
    'id',
    'organization_id',
    'customer_id',
    'first_name',
    'last_name',
    'email',
    'is_primary',
    'created_at',
    'updated_at',
  ]);
  const invoices = new PendingRows('invoices', [
    'id',
    'organization_id',
    'customer_id',
    'number',
    'status',
    'issue_date',
    'due_date',
    'currency',
    'tax_rounding',
    'subtotal',
    'discount_total',
    'tax_total',
    'total',
    'payments_applied',
    'balance',
    'sent_at',
    'voided_at',
    'created_at',
    'updated_at',
  ]);
  const lines = new PendingRows('invoice_lines', [
    'id',
    'organization_id',
    'document_id',
    'position',
    'name',
    'quantity',
    'rate',
    'tax_id',
    'tax_name',
    'tax_rate',
    'amount',
    'discount',
    'net',
  ]);
  const payments = new PendingRows('customer_payments', [
    'id',
    'organization_id',
    'customer_id',
    'number',
    'payment_date',
    'amount',
    'unapplied',
    'currency',
    'mode',
    'reference',
    'recorded_by_user_id',
    'created_at',
    'updated_at',
  ]);
  const allocations = new PendingRows('payment_allocations', [
    'id',
    'organization_id',
    'payment_id',
    'invoice_id',
    'kind',
    'amount',
    'applied_on',
    'created_at',
  ]);

  const writer =
    ctx.db.dialect === 'sqlite' ? sqliteWriter(ctx.config.databaseUrl.slice('sqlite:'.length)) : postgresWriter(db);
  const customerCount = options.customers ?? Math.max(1, Math.ceil(options.invoices / INVOICES_PER_CUSTOMER));
  if (!Number.isInteger(customerCount) || customerCount < 1) throw new Error('customers must be a whole number ≥ 1.');
  const customerIds: string[] = [];
  const width = Math.max(7, String(options.invoices).length);
  const numbered = (prefix: string, n: number) => `${prefix}${String(n).padStart(width, '0')}`;
  let paymentCount = 0;
  let lineCount = 0;
  let rowsWritten = 0;
  const deferred = await deferIndexes(ctx);
  const searchTriggers = await deferTextSearch(ctx);
  const triggersPaused = await pauseTriggers(ctx);
  try {
    // Customers, each with a primary contact person.
    await writer.inTransaction(async (write) => {
      const created = stamp(firstDay);
      for (let i = 1; i <= customerCount; i++) {
        const customerId = id('cus');
        customerIds.push(customerId);
        const name = `${random.pick(ADJECTIVES)} ${random.pick(NOUNS)} ${random.pick(SUFFIXES)} ${i}`;
        customers.add(customerId, organizationId, name, name, `billing${i}@customer.example`, 'USD', created, created);
        contacts.add(
          id('cp'),
          organizationId,
          customerId,
          'Contact',
          `${i}`,
          `contact${i}@customer.example`,
          1,
          created,
          created,
        );
        if (customers.count >= FLUSH_EVERY || i === customerCount) {
          rowsWritten += await write(customers);
          rowsWritten += await write(contacts);
        }
      }
    });
    progress(`customers: ${customerCount.toLocaleString('en-US')}`);

    const shapes = invoiceShapes(random, 4096);
    for (let chunkStart = 1; chunkStart <= options.invoices; chunkStart += INVOICES_PER_TRANSACTION) {
      const chunkEnd = Math.min(options.invoices, chunkStart + INVOICES_PER_TRANSACTION - 1);
      await writer.inTransaction(async (write) => {
        for (let n = chunkStart; n <= chunkEnd; n++) {
          // Numbers follow dates, as they would have been issued: INV-0000001 is the oldest.
          const issueDay = Math.floor(((n - 1) * HISTORY_DAYS) / options.invoices);
          const issueDate = dateAt(issueDay);
          const dueDate = dateAt(issueDay + 30);
          const customerId = customerIds[random.int(0, customerCount - 1)] as string;
          const shape = random.pick(shapes);
          const fate = fateOf(random, issueDay + 30 < HISTORY_DAYS);
          const invoiceId = id('inv');

          let paid = 0;
          if (fate === 'paid') paid = shape.total;
          if (fate === 'partial') paid = Math.max(1, Math.floor((shape.total * random.int(20, 80)) / 100));
          if (paid > 0) {
            paymentCount++;
            const paymentId = id('pay');
            const paidOn = pastDateAt(issueDay + random.int(0, 45));
            payments.add(
              paymentId,
              organizationId,
              customerId,
              numbered('PAY-', paymentCount),
              paidOn,
              paid,
              0,
              'USD',
              random.pick(MODES),
              null,
              userId,
              stamp(paidOn),
              stamp(paidOn),
            );
            allocations.add(id('alc'), organizationId, paymentId, invoiceId, 'payment', paid, paidOn, stamp(paidOn));
          }

          // A void invoice owes nothing (as voiding through the API leaves it); the generator never pays one.
          const balance = fate === 'void' ? 0 : shape.total - paid;
          const status =
            fate === 'draft' || fate === 'void'
              ? fate
              : invoiceStatusFor({ status: 'sent', total: shape.total, balance, dueDate, today });
          invoices.add(
            invoiceId,
            organizationId,
            customerId,
            numbered('INV-', n),
            status,
            issueDate,
            dueDate,
            'USD',
            'line',
            shape.subtotal,
            0,
            shape.taxTotal,
            shape.total,
            paid,
            balance,
            fate === 'draft' ? null : stamp(issueDate),
            fate === 'void' ? stamp(pastDateAt(issueDay + 3)) : null,
            stamp(issueDate),
            stamp(issueDate),
          );
          for (let position = 0; position < shape.lines.length; position++) {
            const line = shape.lines[position] as Shape['lines'][number];
            lines.add(
              id('ln'),
              organizationId,
              invoiceId,
              position,
              line.name,
              line.quantity,
              line.rate,
              line.taxed ? taxId : null,
              line.taxed ? TAX.name : null,
              line.taxed ? TAX.rate : null,
              line.amount,
              0,
              line.net,
            );
          }
          lineCount += shape.lines.length;
          if (invoices.count >= FLUSH_EVERY || n === chunkEnd) {
            // SQLite writes synchronously: let the event loop breathe, so that Ctrl-C is heard.
            await setImmediate();
            options.signal?.throwIfAborted();
            // Parents before children (PostgreSQL checks foreign keys at each statement).
            rowsWritten += await write(invoices);
            rowsWritten += await write(payments);
            rowsWritten += await write(lines);
            rowsWritten += await write(allocations);
          }
        }
      });
      const seconds = (performance.now() - started) / 1000;
      progress(
        `invoices: ${chunkEnd.toLocaleString('en-US')} / ${options.invoices.toLocaleString('en-US')}` +
          ` (${Math.round(rowsWritten / seconds).toLocaleString('en-US')} rows/s)`,
      );
    }
  } finally {
    writer.close();
    progress('building indexes…');
    await restoreIndexes(ctx, deferred);
    progress('indexing the text search…');
    await restoreTextSearch(ctx, searchTriggers);
    if (triggersPaused) await resumeTriggers(ctx, organizationId, progress);
  }

  // The next invoice or payment created through the API continues after the generated ones.
  await db
    .updateTable('documentSequences')
    .set({ nextNumber: options.invoices + 1 })
    .where('organizationId', '=', organizationId)
    .where('kind', '=', 'invoice')
    .execute();
  await db
    .updateTable('documentSequences')
    .set({ nextNumber: paymentCount + 1 })
    .where('organizationId', '=', organizationId)
    .where('kind', '=', 'payment')
    .execute();

  // Fresh statistics, so the query planner picks the indexes the lists were designed around. (SQLite: sampled,
  // as PostgreSQL does by itself, instead of reading every row.)
  progress('analyzing…');
  if (ctx.db.dialect === 'sqlite') await sql`pragma analysis_limit = 2000`.execute(db);
  for (const table of ['customers', 'invoices', 'invoice_lines', 'customer_payments', 'payment_allocations']) {
    await sql`analyze ${sql.table(table)}`.execute(db);
  }

  return {
    organizationId,
    ownerEmail: SCALE_OWNER_EMAIL,
    password,
    customers: customerCount,
    invoices: options.invoices,
    invoiceLines: lineCount,
    payments: paymentCount,
    sampleCustomerId: customerIds[Math.floor(customerCount / 2)] as string,
    seconds: (performance.now() - started) / 1000,
  };
}

/** `portico seed --scale N`: progress on stderr, the result (with the owner's password) on stdout. */
export async function seedScaleCommand(options: { invoices: number }): Promise<void> {
  const runtime = await openRuntime();
  // Ctrl-C stops at the next batch, so the indexes set aside for the load are built again before leaving.
  const stop = new AbortController();
  const onSignal = () => {
    say('Stopping after this batch…');
    stop.abort(new CommandError('Interrupted: the generated data is incomplete (its indexes are complete).'));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const result = await seedScale(runtime.ctx, { invoices: options.invoices, progress: say, signal: stop.signal });
    console.log(
      `Generated ${result.invoices.toLocaleString('en-US')} invoices (${result.invoiceLines.toLocaleString('en-US')} lines, ` +
        `${result.payments.toLocaleString('en-US')} payments) for ${result.customers.toLocaleString('en-US')} customers ` +
        `in ${result.seconds.toFixed(1)} s.`,
    );
    console.log(`Organization: Scale Test (${SCALE_SLUG}, ${result.organizationId})`);
    console.log(`Owner: ${result.ownerEmail}  password: ${result.password}`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await runtime.close();
  }
}
