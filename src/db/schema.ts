/**
 * Table types as Kysely sees them (camelCase; the CamelCasePlugin maps to the snake_case columns).
 * Money is integer minor units; flags are 0 | 1; dates 'YYYY-MM-DD'; timestamps ISO-8601 UTC strings.
 * Columns with a database default are `Generated` (optional on insert).
 */
import type { Generated } from 'kysely';
// Statuses are spelled once, by the state machines in the domain.
import type { EstimateStatus } from '../domain/estimate-states.js';
import type { InvoiceStatus, RetainerStatus } from '../domain/invoice-states.js';
import type { PaymentMode } from '../domain/payment-modes.js';
import type { ProjectStatus, TimeEntryStatus } from '../domain/project-states.js';
import type { RecurringStatus } from '../domain/recurring-states.js';
import type { TimeApprovalStatus } from '../domain/time-approval.js';

type Flag = 0 | 1;

export interface OrganizationsTable {
  id: string;
  name: string;
  slug: string;
  baseCurrency: string;
  timeZone: string;
  locale: Generated<string>;
  email: string | null;
  phone: string | null;
  website: string | null;
  address: Generated<string>;
  taxRounding: Generated<'line' | 'document'>;
  chargesTax: Generated<Flag>;
  paymentTermsDays: Generated<number>;
  estimateValidityDays: Generated<number>;
  portalEnabled: Generated<Flag>;
  portalBanner: string | null;
  portalNotifyMe: Generated<Flag>;
  portalEmailOnComment: Generated<Flag>;
  portalAllowEditDetails: Generated<Flag>;
  portalAllowForwarding: Generated<Flag>;
  portalReviews: Generated<Flag>;
  portalShowProjects: Generated<Flag>;
  /** Clients may ask for a quote from the portal (migration 0020). */
  portalQuoteRequests: Generated<Flag>;
  portalPreventDuplicatePayments: Generated<Flag>;
  passwordMinLength: Generated<number>;
  /** Business users must sign in with a second factor (migration 0022). */
  requireSecondFactor: Generated<Flag>;
  /** The portal's contact persons must sign in with a second factor (migration 0022). */
  portalRequireSecondFactor: Generated<Flag>;
  /** base64 of a PNG or JPEG; null when the organization has no logo. */
  logoBase64: string | null;
  logoContentType: 'image/png' | 'image/jpeg' | null;
  createdAt: string;
  updatedAt: string;
  /** Moved by triggers (migration 0009) with every organization-wide change the portal shows. */
  portalVersion: Generated<number>;
  /** For e-invoices (migration 0023): ISO 3166-1 alpha-2 country, VAT id, legal registration id, Peppol id. */
  countryCode: string | null;
  taxId: string | null;
  companyId: string | null;
  peppolId: string | null;
  /** The e-invoice attached to invoice e-mails (migration 0023). */
  eInvoiceAttachment: Generated<'none' | 'ubl' | 'cii' | 'facturx'>;
}

export interface UsersTable {
  id: string;
  organizationId: string;
  email: string;
  name: string;
  role: 'owner' | 'admin' | 'staff';
  passwordHash: string | null;
  disabledAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SessionsTable {
  id: string;
  realm: 'business' | 'portal';
  organizationId: string;
  userId: string | null;
  contactPersonId: string | null;
  csrfToken: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  /** How the session was signed in to (migration 0022): `password`, `password+totp`, `password+passkey`, … */
  authenticatedWith: Generated<string>;
  /** When it was signed in to; null for sessions older than migration 0022 (then `createdAt`). */
  authenticatedAt: string | null;
  /** 1: the organization requires a second factor and the person has none; the session may only enrol one. */
  enrolmentRequired: Generated<Flag>;
}

export interface ApiKeysTable {
  id: string;
  organizationId: string;
  name: string;
  prefix: string;
  keyHash: string;
  /** The user the key acts for: who made it, or whom the owner re-assigned it to. */
  createdByUserId: string | null;
  /** At most the role of the user it acts for; the key stops working while that user holds less. */
  role: Generated<'admin' | 'staff'>;
  /** 1: the key may manage users and API keys (granted by an owner only). */
  canManageAccess: Generated<number>;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface TaxesTable {
  id: string;
  organizationId: string;
  name: string;
  rate: string;
  isDefault: Generated<Flag>;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface CustomersTable {
  id: string;
  organizationId: string;
  displayName: string;
  companyName: string | null;
  email: string | null;
  phone: string | null;
  website: string | null;
  currency: string;
  paymentTermsDays: number | null;
  billingAddress: Generated<string>;
  shippingAddress: Generated<string>;
  openingBalance: Generated<number>;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  /** Moved by triggers (migration 0009) with every change to what this customer's portal shows. */
  portalVersion: Generated<number>;
  /** For e-invoices (migration 0023): ISO 3166-1 alpha-2 country, VAT id, Peppol id. */
  countryCode: string | null;
  taxId: string | null;
  peppolId: string | null;
}

export interface ContactPersonsTable {
  id: string;
  organizationId: string;
  customerId: string;
  salutation: string | null;
  firstName: string;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  mobile: string | null;
  designation: string | null;
  /** The contact's language ("de"); null follows the organization's locale (migration 0024). */
  language: string | null;
  isPrimary: Generated<Flag>;
  portalStatus: Generated<PortalStatus>;
  passwordHash: string | null;
  portalInvitedAt: string | null;
  portalActivatedAt: string | null;
  portalDisabledAt: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

/** none: never invited; invited: has a pending invitation; active: has set a password; disabled: access removed. */
export type PortalStatus = 'none' | 'invited' | 'active' | 'disabled';

export interface AccessTokensTable {
  id: string;
  organizationId: string;
  contactPersonId: string;
  purpose: 'invitation' | 'password_reset';
  tokenHash: string;
  expiresAt: string;
  usedAt: string | null;
  createdAt: string;
}

/** A business user's password reset link: its token's SHA-256, single use, expiring (migration 0017). */
export interface UserPasswordResetsTable {
  id: string;
  organizationId: string;
  userId: string;
  tokenHash: string;
  expiresAt: string;
  usedAt: string | null;
  createdAt: string;
}

/** A person's second factor: a TOTP secret (encrypted) or a passkey (migration 0022). */
export interface SecondFactorsTable {
  id: string;
  organizationId: string;
  userId: string | null;
  contactPersonId: string | null;
  kind: 'totp' | 'passkey';
  label: string;
  secretSealed: string | null;
  lastUsedStep: number | null;
  credentialId: string | null;
  publicKey: string | null;
  signCount: number | null;
  transports: string | null;
  confirmedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

/** A single-use recovery code, kept as a keyed hash only (migration 0022). */
export interface RecoveryCodesTable {
  id: string;
  organizationId: string;
  userId: string | null;
  contactPersonId: string | null;
  codeHash: string;
  usedAt: string | null;
  createdAt: string;
}

/** A pending sign-in waiting for its second factor, or a passkey enrolment's challenge (migration 0022). */
export interface SecondFactorChallengesTable {
  id: string;
  organizationId: string;
  realm: 'business' | 'portal';
  purpose: 'sign_in' | 'passkey_enrolment';
  userId: string | null;
  contactPersonId: string | null;
  email: string;
  challenge: string | null;
  expiresAt: string;
  createdAt: string;
}

export interface ThrottlesTable {
  key: string;
  failures: number;
  windowStartedAt: string;
  blockedUntil: string | null;
  updatedAt: string;
}

export interface OutboxMessagesTable {
  id: string;
  organizationId: string | null;
  kind: 'email';
  template: string;
  toAddress: string;
  subject: string;
  textBody: string;
  htmlBody: string;
  /** JSON: [{filename, contentType, contentBase64}] */
  attachments: Generated<string>;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: Generated<number>;
  nextAttemptAt: string;
  lockedUntil: string | null;
  lastError: string | null;
  messageId: string | null;
  sentAt: string | null;
  createdAt: string;
}

export interface AuditLogTable {
  id: string;
  organizationId: string;
  event: string;
  actorType: 'user' | 'contact_person' | 'system' | 'anonymous';
  actorId: string | null;
  contactPersonId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Generated<string>;
  createdAt: string;
}

export interface DocumentSequencesTable {
  organizationId: string;
  kind: 'estimate' | 'invoice' | 'retainer_invoice' | 'payment';
  prefix: string;
  nextNumber: number;
}

/** Columns estimates and invoices share: the document's terms of calculation and the computed totals. */
export interface DocumentTotalsColumns {
  discountType: 'percent' | 'amount' | null;
  discountValue: string | null;
  discountBeforeTax: Generated<Flag>;
  taxRounding: 'line' | 'document';
  shipping: Generated<number>;
  adjustment: Generated<number>;
  adjustmentLabel: string | null;
  subtotal: number;
  discountTotal: number;
  taxTotal: number;
  total: number;
}

export interface EstimatesTable extends DocumentTotalsColumns {
  id: string;
  organizationId: string;
  customerId: string;
  number: string;
  reference: string | null;
  status: EstimateStatus;
  issueDate: string;
  expiryDate: string | null;
  currency: string;
  subject: string | null;
  notes: string | null;
  terms: string | null;
  sentAt: string | null;
  decidedAt: string | null;
  decidedByContactPersonId: string | null;
  decidedIp: string | null;
  declineReason: string | null;
  signatureName: string | null;
  viewedAt: string | null;
  viewedByContactPersonId: string | null;
  /** When a declined estimate was last revised and sent again (migration 0016); null for its first sending. */
  revisedAt: Generated<string | null>;
  /** The client's request for changes while the estimate waits for the business (migration 0020). */
  changesRequestedAt: Generated<string | null>;
  changesRequestedByContactPersonId: Generated<string | null>;
  changeRequestMessage: Generated<string | null>;
  invoiceId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface InvoicesTable extends DocumentTotalsColumns {
  id: string;
  organizationId: string;
  customerId: string;
  number: string;
  reference: string | null;
  status: InvoiceStatus;
  issueDate: string;
  dueDate: string;
  currency: string;
  subject: string | null;
  notes: string | null;
  terms: string | null;
  paymentsApplied: Generated<number>;
  creditsApplied: Generated<number>;
  writtenOff: Generated<number>;
  writtenOffOn: string | null;
  balance: number;
  allowPartialPayments: Generated<Flag>;
  estimateId: string | null;
  recurringProfileId: string | null;
  sentAt: string | null;
  voidedAt: string | null;
  viewedAt: string | null;
  viewedByContactPersonId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DocumentLinesTable {
  id: string;
  organizationId: string;
  documentId: string;
  position: number;
  name: string;
  description: string | null;
  quantity: string;
  unit: string | null;
  rate: number;
  discountType: 'percent' | 'amount' | null;
  discountValue: string | null;
  taxId: string | null;
  taxName: string | null;
  taxRate: string | null;
  amount: number;
  discount: number;
  net: number;
  timeEntryIds: string | null;
}

export interface RetainerInvoicesTable {
  id: string;
  organizationId: string;
  customerId: string;
  projectId: string | null;
  number: string;
  reference: string | null;
  status: RetainerStatus;
  issueDate: string;
  currency: string;
  notes: string | null;
  terms: string | null;
  lines: string;
  total: number;
  amountPaid: Generated<number>;
  balance: number;
  sentAt: string | null;
  voidedAt: string | null;
  viewedAt: string | null;
  viewedByContactPersonId: string | null;
  createdAt: string;
  updatedAt: string;
}

export type { PaymentMode };

export interface CustomerPaymentsTable {
  id: string;
  organizationId: string;
  customerId: string;
  number: string;
  paymentDate: string;
  amount: number;
  unapplied: number;
  currency: string;
  mode: PaymentMode;
  reference: string | null;
  notes: string | null;
  source: Generated<'offline' | 'portal'>;
  retainerInvoiceId: string | null;
  paidByContactPersonId: string | null;
  recordedByUserId: string | null;
  /** 1: made through a gateway in test mode (migration 0011): no money moved. */
  testMode: Generated<number>;
  createdAt: string;
  updatedAt: string;
}

export interface PaymentAllocationsTable {
  id: string;
  organizationId: string;
  paymentId: string;
  invoiceId: string;
  kind: 'payment' | 'credit';
  amount: number;
  appliedOn: string;
  releasedAt: string | null;
  createdAt: string;
}

export type RecurringFrequency = 'weekly' | 'monthly' | 'quarterly' | 'yearly';

export interface RecurringProfilesTable {
  id: string;
  organizationId: string;
  customerId: string;
  name: string;
  status: RecurringStatus;
  frequency: RecurringFrequency;
  intervalCount: Generated<number>;
  startDate: string;
  endDate: string | null;
  nextDate: string | null;
  anchorDay: number;
  currency: string;
  paymentTermsDays: number;
  sendAutomatically: Generated<Flag>;
  template: string;
  lastInvoiceId: string | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface ProjectsTable {
  id: string;
  organizationId: string;
  customerId: string;
  name: string;
  description: string | null;
  billingMethod: 'fixed' | 'project_hours' | 'task_hours';
  rate: number | null;
  currency: string;
  status: ProjectStatus;
  /** The client approves time before it is invoiced (migration 0021). */
  requireTimeApproval: Generated<Flag>;
  createdAt: string;
  updatedAt: string;
}

export interface ProjectTasksTable {
  id: string;
  organizationId: string;
  projectId: string;
  name: string;
  description: string | null;
  rate: Generated<number>;
  billable: Generated<Flag>;
  createdAt: string;
  updatedAt: string;
}

export interface TimeEntriesTable {
  id: string;
  organizationId: string;
  projectId: string;
  taskId: string;
  userId: string | null;
  entryDate: string;
  minutes: number;
  notes: string | null;
  status: TimeEntryStatus;
  invoiceId: string | null;
  /** Null while the project does not require approval (migration 0021). */
  approval: TimeApprovalStatus | null;
  approvedAt: string | null;
  approvedByContactPersonId: string | null;
  createdAt: string;
  updatedAt: string;
}

export type CommentSubject = 'estimate' | 'invoice' | 'retainer_invoice' | 'project';

export interface CommentsTable {
  id: string;
  organizationId: string;
  subjectType: CommentSubject;
  subjectId: string;
  authorType: 'user' | 'contact_person';
  userId: string | null;
  contactPersonId: string | null;
  text: string;
  shownInPortal: Flag;
  /** A client's query about a time entry, or the business's answer to it (migration 0021). */
  timeEntryId: string | null;
  createdAt: string;
  deletedAt: string | null;
}

export interface HistoryTable {
  id: string;
  organizationId: string;
  subjectType: CommentSubject | 'customer_payment' | 'quote_request';
  subjectId: string;
  event: string;
  description: string;
  actorType: 'user' | 'contact_person' | 'system';
  actorId: string | null;
  ip: string | null;
  shownInPortal: Generated<Flag>;
  createdAt: string;
}

/** A client's request for a quote from the portal (migration 0020), which the business turns into an estimate. */
export interface QuoteRequestsTable {
  id: string;
  organizationId: string;
  customerId: string;
  contactPersonId: string;
  description: string;
  details: string | null;
  status: 'open' | 'estimate_created' | 'dismissed';
  /** The estimate made from it. */
  estimateId: string | null;
  closedAt: string | null;
  closedByUserId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A client's rating of the organization: one current review per contact person, editable, private to the business. */
export interface ReviewsTable {
  id: string;
  organizationId: string;
  customerId: string;
  contactPersonId: string;
  rating: number;
  comment: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The organization's payment gateway (migration 0004). Credentials are AES-256-GCM, never plain text. */
export interface PaymentGatewaysTable {
  id: string;
  organizationId: string;
  kind: 'sandbox' | 'stripe' | 'paypal';
  /** Pay Now tries the organization's gateways in this order (the order they were added in). */
  position: number;
  /** JSON array of ISO 4217 codes the gateway takes; null: every currency. */
  currencies: string | null;
  /** Minor units of the payment's currency: a smaller payment goes elsewhere, or fails with CP4001. */
  minimumAmount: number;
  /** 1: saves cards for later charges (reference transactions). */
  referenceTransactions: number;
  /** 1: charges saved cards automatically for recurring profiles. */
  recurring: number;
  /** What the payment page asks for, for the card's address verification. */
  addressFields: 'postal_code' | 'full_address';
  /** JSON of the sandbox's own merchant rules (src/payments/sandbox/rules.ts); null for other gateways. */
  sandboxRules: string | null;
  credentialsEncrypted: string | null;
  /** JSON of the masked credentials shown back to the business. */
  credentialsHint: string | null;
  /** Removed by the business: takes no new payment, finishes the ones it started. */
  removedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Where a client pays by bank transfer, per organization and currency (migration 0018). */
export interface BankTransferInstructionsTable {
  id: string;
  organizationId: string;
  currency: string;
  accountHolder: string;
  /** An IBAN (compact, checked) or a domestic account number. */
  accountNumber: string;
  /** BIC, routing number or sort code. */
  bankCode: string | null;
  bankName: string | null;
  /** The reference to quote; `{number}` stands for the invoice's number. Null: the invoice's number. */
  reference: string | null;
  /** 1: invoice PDFs in this currency print the instructions. */
  showOnPdf: number;
  /** When the account details last replaced earlier ones (null: never changed since they were set). */
  detailsChangedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** An endpoint a business registered for outgoing webhooks (migration 0019). */
export interface WebhookEndpointsTable {
  id: string;
  organizationId: string;
  url: string;
  description: string | null;
  /** JSON array of event names. */
  events: string;
  /** The signing secret, AES-256-GCM with a key derived from APP_SECRET. */
  secretEncrypted: string;
  enabled: number;
  createdAt: string;
  updatedAt: string;
}

/** One event for one endpoint: written with the change, sent by the worker with retries. */
export interface WebhookDeliveriesTable {
  id: string;
  organizationId: string;
  endpointId: string;
  eventId: string;
  event: string;
  /** The JSON body sent. */
  payload: string;
  status: 'pending' | 'sending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string;
  lockedUntil: string | null;
  responseStatus: number | null;
  /** The start of the endpoint's answer (at most 2,000 characters). */
  responseBody: string | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

/** A card tokenized by the sandbox gateway: never the number, only what a processor's token carries. */
export interface SandboxCardsTable {
  id: string;
  organizationId: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  fingerprint: string;
  behaviour: string;
  postalCode: string | null;
  reusable: Generated<Flag>;
  usage: 'reference' | 'recurring' | null;
  createdAt: string;
}

export interface SandboxChargesTable {
  id: string;
  organizationId: string;
  kind: 'payment' | 'card_setup';
  reference: string;
  idempotencyKey: string;
  amount: number;
  currency: string;
  description: string;
  customerName: string;
  customerEmail: string | null;
  customerPostalCode: string | null;
  status: 'succeeded' | 'requires_action' | 'processing' | 'failed';
  failureCode: string | null;
  failureMessage: string | null;
  cardId: string | null;
  cardFingerprint: string | null;
  savedCard: Generated<Flag>;
  recurring: Generated<Flag>;
  amountRefunded: Generated<number>;
  returnUrl: string | null;
  /** Where the hosted page's "Cancel and go back" leads (same origin); null for charges made before it existed. */
  cancelUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SandboxCheckoutSessionsTable {
  id: string;
  organizationId: string;
  chargeId: string;
  purpose: 'card_entry' | 'challenge';
  csrfToken: string;
  expiresAt: string;
  completedAt: string | null;
  createdAt: string;
}

export interface SandboxRefundsTable {
  id: string;
  organizationId: string;
  chargeId: string;
  reference: string;
  idempotencyKey: string;
  amount: number;
  status: 'succeeded' | 'failed';
  failureCode: string | null;
  createdAt: string;
}

export interface SandboxWebhookDeliveriesTable {
  id: string;
  organizationId: string;
  type: string;
  chargeId: string | null;
  payload: string;
  attempts: Generated<number>;
  deliveredAt: string | null;
  lastError: string | null;
  createdAt: string;
}

export type PaymentAttemptStatus = 'pending' | 'requires_action' | 'succeeded' | 'failed';

/** A portal payment: written before the gateway call, settled after (migration 0005). */
export interface PaymentAttemptsTable {
  id: string;
  organizationId: string;
  customerId: string;
  contactPersonId: string;
  status: PaymentAttemptStatus;
  amount: number;
  currency: string;
  gatewayKind: 'sandbox' | 'stripe' | 'paypal' | null;
  /** The gateway chosen for the attempt (migration 0014); null when none was (refused before). */
  gatewayId: string | null;
  /** 1: the gateway was in test mode when the attempt was written (migration 0011). */
  testMode: Generated<number>;
  gatewayPaymentId: string | null;
  redirectUrl: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  paymentId: string | null;
  saveCard: 'reference' | 'recurring' | null;
  savedCard: string | null;
  receiptSentAt: string | null;
  refundedAt: string | null;
  expiresAt: string;
  settledAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What an attempt collects per document; reserved while the attempt is pending or requires_action. */
export interface PaymentAttemptAllocationsTable {
  id: string;
  organizationId: string;
  attemptId: string;
  invoiceId: string | null;
  retainerInvoiceId: string | null;
  amount: number;
}

export type AutopayCardStatus = 'pending' | 'active' | 'withdrawn' | 'failed';

/** A card on file for a recurring profile's automatic payments, authorized in the portal (migration 0006). */
export interface AutopayCardsTable {
  id: string;
  organizationId: string;
  customerId: string;
  recurringProfileId: string;
  status: AutopayCardStatus;
  gatewayKind: 'sandbox' | 'stripe' | 'paypal';
  /** The gateway that saved the card and charges it (migration 0014). */
  gatewayId: string | null;
  gatewaySetupId: string | null;
  /** The gateway's token for the card (`chargeSavedCard`'s `savedCard`); never a card number. */
  gatewayToken: string | null;
  redirectUrl: string | null;
  brand: string | null;
  last4: string | null;
  expMonth: number | null;
  expYear: number | null;
  failureCode: string | null;
  failureMessage: string | null;
  authorizedByContactPersonId: string;
  authorizedAt: string | null;
  withdrawnAt: string | null;
  withdrawnByContactPersonId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The one automatic charge of an invoice (primary key: the invoice) and the payment attempt carrying it. */
export interface AutopayChargesTable {
  invoiceId: string;
  organizationId: string;
  autopayCardId: string;
  attemptId: string;
  createdAt: string;
}

export interface IdempotencyKeysTable {
  organizationId: string;
  scopeKey: string;
  key: string;
  fingerprint: string;
  status: 'in_progress' | 'done';
  attemptId: string | null;
  responseStatus: number | null;
  responseBody: string | null;
  createdAt: string;
  expiresAt: string;
}

export interface ProcessedWebhookEventsTable {
  gateway: string;
  eventId: string;
  organizationId: string;
  type: string;
  processedAt: string;
}

/**
 * A customer's unpaid documents of one kind, in one currency: kept by triggers (migration 0010) with every change to
 * the documents, for the portal's dashboard.
 */
export interface CustomerOpenTotalsTable {
  organizationId: string;
  customerId: string;
  kind: 'invoice' | 'retainer_invoice';
  currency: string;
  documentCount: number;
  balance: number;
}

/** What a customer was invoiced (by issue date) and paid (by payment date) in one month and currency (migration 0010). */
export interface CustomerMonthlyTotalsTable {
  organizationId: string;
  customerId: string;
  /** `YYYY-MM` */
  month: string;
  currency: string;
  invoiced: number;
  paid: number;
}

/** A live activity stream's place among its session's (or API key's) few (migration 0015). */
export interface ActivityStreamSlotsTable {
  /** `session:<session id>` or `api-key:<key hash>`. */
  owner: string;
  slot: number;
  streamId: string;
  seenAt: string;
}

export interface Database {
  organizations: OrganizationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  apiKeys: ApiKeysTable;
  taxes: TaxesTable;
  customers: CustomersTable;
  contactPersons: ContactPersonsTable;
  documentSequences: DocumentSequencesTable;
  estimates: EstimatesTable;
  estimateLines: DocumentLinesTable;
  invoices: InvoicesTable;
  invoiceLines: DocumentLinesTable;
  retainerInvoices: RetainerInvoicesTable;
  customerPayments: CustomerPaymentsTable;
  paymentAllocations: PaymentAllocationsTable;
  recurringProfiles: RecurringProfilesTable;
  projects: ProjectsTable;
  projectTasks: ProjectTasksTable;
  timeEntries: TimeEntriesTable;
  comments: CommentsTable;
  history: HistoryTable;
  accessTokens: AccessTokensTable;
  userPasswordResets: UserPasswordResetsTable;
  throttles: ThrottlesTable;
  secondFactors: SecondFactorsTable;
  recoveryCodes: RecoveryCodesTable;
  secondFactorChallenges: SecondFactorChallengesTable;
  activityStreamSlots: ActivityStreamSlotsTable;
  outboxMessages: OutboxMessagesTable;
  auditLog: AuditLogTable;
  reviews: ReviewsTable;
  quoteRequests: QuoteRequestsTable;
  paymentGateways: PaymentGatewaysTable;
  bankTransferInstructions: BankTransferInstructionsTable;
  webhookEndpoints: WebhookEndpointsTable;
  webhookDeliveries: WebhookDeliveriesTable;
  sandboxCards: SandboxCardsTable;
  sandboxCharges: SandboxChargesTable;
  sandboxCheckoutSessions: SandboxCheckoutSessionsTable;
  sandboxRefunds: SandboxRefundsTable;
  sandboxWebhookDeliveries: SandboxWebhookDeliveriesTable;
  paymentAttempts: PaymentAttemptsTable;
  paymentAttemptAllocations: PaymentAttemptAllocationsTable;
  idempotencyKeys: IdempotencyKeysTable;
  autopayCards: AutopayCardsTable;
  autopayCharges: AutopayChargesTable;
  processedWebhookEvents: ProcessedWebhookEventsTable;
  customerOpenTotals: CustomerOpenTotalsTable;
  customerMonthlyTotals: CustomerMonthlyTotalsTable;
}
