import { Type } from 'typebox';
import { UNPAID_INVOICE_STATUSES } from '../../domain/invoice-states.js';
import { Address, Nullable, OneOf } from '../../http/schemas.js';
import { CustomerBalance } from '../customers/index.js';
import { Account } from '../portal-account/index.js';
import { PortalRetainerStatus } from '../portal-retainers/index.js';

/** The client's dashboard, in one response (PRODUCT.md §3, UI.md "Home"). */

const CurrencyTotal = Type.Object({ currency: Type.String(), amount: Type.Integer() });

/** Only invoices still owed are on the dashboard. */
const PortalInvoiceStatus = OneOf(UNPAID_INVOICE_STATUSES);

export const PortalHome = Type.Object({
  /** The customer's currency: credits are in it. */
  currency: Type.String(),
  outstandingInvoices: Type.Object({
    count: Type.Integer(),
    /** Balance due per currency (normally one: the customer's). */
    totals: Type.Array(CurrencyTotal),
    /** The five most urgent: overdue first, then by due date. */
    invoices: Type.Array(
      Type.Object({
        id: Type.String(),
        number: Type.String(),
        status: PortalInvoiceStatus,
        issueDate: Type.String(),
        dueDate: Type.String(),
        currency: Type.String(),
        total: Type.Integer(),
        balance: Type.Integer(),
        /** Past its due date with a balance left (even before the nightly job marks it overdue). */
        overdue: Type.Boolean(),
      }),
    ),
  }),
  outstandingRetainers: Type.Object({
    count: Type.Integer(),
    totals: Type.Array(CurrencyTotal),
    /** The five oldest. */
    retainerInvoices: Type.Array(
      Type.Object({
        id: Type.String(),
        number: Type.String(),
        status: PortalRetainerStatus,
        issueDate: Type.String(),
        currency: Type.String(),
        total: Type.Integer(),
        balance: Type.Integer(),
      }),
    ),
  }),
  /** The one balance story, as the statement and the business's customer page tell it (PRODUCT.md §3). */
  balance: CustomerBalance,
  credits: Type.Object({
    currency: Type.String(),
    /** Unapplied payments that are not retainer payments. */
    availableCredit: Type.Integer(),
    /** Unapplied retainer payments. */
    retainerBalance: Type.Integer(),
  }),
  lastPayment: Nullable(
    Type.Object({
      id: Type.String(),
      number: Type.String(),
      date: Type.String(),
      amount: Type.Integer(),
      currency: Type.String(),
      mode: Type.String(),
      reference: Nullable(Type.String()),
      /** The invoices it was applied to (not those released by a void). */
      invoiceNumbers: Type.Array(Type.String()),
    }),
  ),
  estimatesAwaiting: Type.Object({
    count: Type.Integer(),
    /** The five newest sent, unexpired estimates. */
    estimates: Type.Array(
      Type.Object({
        id: Type.String(),
        number: Type.String(),
        issueDate: Type.String(),
        expiryDate: Nullable(Type.String()),
        currency: Type.String(),
        total: Type.Integer(),
      }),
    ),
  }),
  banner: Nullable(Type.String()),
  organization: Type.Object({
    name: Type.String(),
    email: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    website: Nullable(Type.String()),
    address: Address,
    hasLogo: Type.Boolean(),
  }),
  account: Account,
  /**
   * The last 12 calendar months (organization time zone), oldest first, per currency (the customer's first,
   * always present): invoiced = totals of the issued, non-void invoices dated in the month; paid = payments
   * received in the month (retainer payments included).
   */
  chart: Type.Array(
    Type.Object({
      currency: Type.String(),
      months: Type.Array(Type.Object({ month: Type.String(), invoiced: Type.Integer(), paid: Type.Integer() })),
    }),
  ),
});
