/**
 * The back office at work while clients read their portal: through the business API, at a steady pace, it
 * alternates recording a payment against one invoice of a customer and editing another invoice of a customer
 * (its notes, or its line — which changes its total and the customer's balance). The customers it writes for are
 * never the ones being read: what the portal feels is the database changing underneath, not its own data.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BusinessApi } from './business-api.js';

/** A write that has not answered yet holds a place; past this many the server is not keeping up. */
const MAX_WRITES_IN_FLIGHT = 40;
/** The writer stops by itself after this long, even if nobody stops it. */
const MAX_WRITING_MS = 15 * 60_000;

export interface BookkeepingCustomer {
  customerId: string;
  /** Sent, never paid: edits are allowed on it. */
  editedInvoiceId: string;
  /** Sent, with a balance far larger than all the payments the run will record. */
  paidInvoiceId: string;
}

export interface WriterReport {
  seconds: number;
  /** Writes per second asked for. */
  targetPerSecond: number;
  /** Writes the schedule called for (sent + skipped). */
  scheduled: number;
  attempted: number;
  succeeded: number;
  /** Answered with a status other than 2xx, or not answered at all. */
  failed: number;
  /** Not sent because MAX_WRITES_IN_FLIGHT writes were still waiting for the server. */
  skipped: number;
  /** Writes that answered 2xx, per second of the run. */
  achievedPerSecond: number;
  payments: number;
  invoiceEdits: number;
  /** Failures by what was written and the status answered (0: no answer), e.g. {"payment 500": 2}. */
  failures: Record<string, number>;
  /** Slowest answers, for the record. */
  latencyP50Ms: number;
  latencyP99Ms: number;
}

/** Gives each customer an invoice to edit and one to pay into, both marked sent (no e-mail). */
export async function prepareBookkeeping(api: BusinessApi, customerIds: string[]): Promise<BookkeepingCustomer[]> {
  const customers: BookkeepingCustomer[] = [];
  for (const customerId of customerIds) {
    const edited = await api.call<{ id: string }>('POST', '/invoices', {
      customerId,
      lines: [{ name: 'Consulting', quantity: '2', rate: 20_000 }],
    });
    await api.call('POST', `/invoices/${edited.id}/mark-sent`);
    const paid = await api.call<{ id: string }>('POST', '/invoices', {
      customerId,
      lines: [{ name: 'Retainer for the year', quantity: '1', rate: 1_000_000_000 }],
    });
    await api.call('POST', `/invoices/${paid.id}/mark-sent`);
    customers.push({ customerId, editedInvoiceId: edited.id, paidInvoiceId: paid.id });
  }
  return customers;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0) * 10) / 10;
}

/**
 * Starts writing `perSecond` times a second, on a fixed schedule (write n is due at start + n / perSecond, so
 * a slow answer does not slow the pace). `stop()` stops scheduling, waits for the writes in flight and reports.
 */
export function startWriter(api: BusinessApi, customers: BookkeepingCustomer[], perSecond: number) {
  if (customers.length === 0) throw new Error('the writer needs at least one customer');
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let scheduled = 0;
  let attempted = 0;
  let succeeded = 0;
  let skipped = 0;
  let payments = 0;
  let invoiceEdits = 0;
  let stopping = false;

  const write = async (n: number) => {
    const customer = customers[Math.floor(n / 2) % customers.length] as BookkeepingCustomer;
    const today = new Date().toISOString().slice(0, 10);
    let kind: string;
    let call: Promise<number>;
    if (n % 2 === 0) {
      kind = 'payment';
      call = api.status('POST', '/payments', {
        customerId: customer.customerId,
        date: today,
        amount: 100,
        mode: 'bank_transfer',
        reference: `bench ${n}`,
        allocations: [{ invoiceId: customer.paidInvoiceId, amount: 100 }],
      });
    } else if (n % 4 === 1) {
      kind = 'invoice notes';
      call = api.status('PATCH', `/invoices/${customer.editedInvoiceId}`, {
        notes: `Thank you for your business (revision ${n}).`,
      });
    } else {
      kind = 'invoice line';
      call = api.status('PATCH', `/invoices/${customer.editedInvoiceId}`, {
        lines: [{ name: 'Consulting', quantity: String(1 + (n % 7)), rate: 20_000 }],
      });
    }
    const sent = performance.now();
    const status = await call.catch(() => 0);
    latencies.push(performance.now() - sent);
    if (status >= 200 && status < 300) {
      succeeded++;
      if (kind === 'payment') payments++;
      else invoiceEdits++;
    } else {
      const key = `${kind} ${status}`;
      failures[key] = (failures[key] ?? 0) + 1;
    }
  };

  const schedule = (async () => {
    for (let n = 0; !stopping && performance.now() - started < MAX_WRITING_MS; n++) {
      const due = started + (n * 1000) / perSecond;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      if (stopping) break;
      scheduled++;
      if (inFlight.size >= MAX_WRITES_IN_FLIGHT) {
        skipped++;
        continue;
      }
      attempted++;
      const running: Promise<void> = write(n).finally(() => inFlight.delete(running));
      inFlight.add(running);
    }
  })();

  return {
    async stop(): Promise<WriterReport> {
      stopping = true;
      await schedule;
      await Promise.all(inFlight);
      const seconds = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      const failed = Object.values(failures).reduce((sum, count) => sum + count, 0);
      return {
        seconds: Math.round(seconds * 10) / 10,
        targetPerSecond: perSecond,
        scheduled,
        attempted,
        succeeded,
        failed,
        skipped,
        achievedPerSecond: Math.round((succeeded / seconds) * 10) / 10,
        payments,
        invoiceEdits,
        failures,
        latencyP50Ms: percentile(latencies, 0.5),
        latencyP99Ms: percentile(latencies, 0.99),
      };
    },
  };
}
