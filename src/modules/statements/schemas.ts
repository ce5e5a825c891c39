import { Type } from 'typebox';
import { DateString, Nullable } from '../../http/schemas.js';
import { CustomerBalance } from '../customers/index.js';
import { PaymentModeSchema } from '../payments/index.js';

export const StatementQuery = Type.Object(
  {
    from: Type.Optional(DateString),
    to: Type.Optional(DateString),
    /** A convenience instead of from/to; the default is this month in the organization's time zone. */
    period: Type.Optional(
      Type.Union([
        Type.Literal('this_month'),
        Type.Literal('last_month'),
        Type.Literal('this_quarter'),
        Type.Literal('this_year'),
      ]),
    ),
  },
  { additionalProperties: false },
);

export const StatementLine = Type.Object({
  date: Type.String(),
  kind: Type.Union([
    Type.Literal('opening_balance'),
    Type.Literal('invoice'),
    Type.Literal('payment'),
    Type.Literal('write_off'),
  ]),
  /** The invoice's or the payment's number; a write-off's is the written-off invoice's. Null on the opening balance. */
  number: Nullable(Type.String()),
  details: Type.String({
    description:
      'The line in English words ("Due 2026-04-14", "Write-off of INV-00012", "Payment (Bank transfer), ref. 1042"), as the API always gave it. A reader in another language writes its own from the facts: `kind`, `number`, `dueDate`, `paymentMode`, `paymentReference`, `retainerInvoiceNumber` and `testMode`.',
  }),
  /** What an invoice (or the opening balance) adds, in minor units. */
  amount: Type.Integer(),
  /** What a payment or write-off takes off. */
  payment: Type.Integer(),
  /** The running balance after this line. */
  balance: Type.Integer(),
  /** A test payment (a gateway in test mode): no money moved; its English details start "Test payment — no money moved". */
  testMode: Type.Boolean(),
  /** An invoice's due date; null on other lines. */
  dueDate: Nullable(DateString),
  /** A payment's mode; null on other lines. */
  paymentMode: Nullable(PaymentModeSchema),
  /** The reference the business recorded with a payment it received offline (a cheque's number); else null. */
  paymentReference: Nullable(Type.String()),
  /** The retainer invoice a payment paid; else null. */
  retainerInvoiceNumber: Nullable(Type.String()),
});

export const StatementResponse = Type.Object({
  period: Type.Object({ from: Type.String(), to: Type.String() }),
  customer: Type.Object({ name: Type.String(), companyName: Nullable(Type.String()) }),
  summary: Type.Object({
    currency: Type.String(),
    openingBalance: Type.Integer(),
    invoiced: Type.Integer(),
    received: Type.Integer(),
    receivedInTestMode: Type.Integer({
      description:
        'The part of `received` that was test payments: they paid their invoices, so they count in the balance, but no money moved.',
    }),
    writtenOff: Type.Integer(),
    /**
     * openingBalance + invoiced − received − writtenOff; equals the last line's balance: the net balance at the
     * period's end. Negative: credit in the customer's favour (shown as such, never as a negative balance due).
     */
    balanceDue: Type.Integer(),
  }),
  /**
   * The customer's balance now (outstanding invoices, credit available, net balance) when the statement reaches
   * it: nothing is dated after the period's end, so `summary.balanceDue` equals `balance.netBalance`. Null for a
   * period that ends earlier.
   */
  balance: Nullable(CustomerBalance),
  lines: Type.Array(StatementLine),
});

/** A file download (PDF, CSV) or a page: the OpenAPI document names the media type; the body is not JSON. */
export const fileResponse = (contentType: string, description: string) => ({
  description,
  content: {
    [contentType]: {
      schema: contentType.startsWith('text/') ? { type: 'string' } : { type: 'string', format: 'binary' },
    },
  },
});
