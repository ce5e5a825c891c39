/**
 * The authorization matrix: every route of the OpenAPI document, tried as every kind of actor, with real ids of
 * the other party's objects. A route missing from MATRIX fails the test, so no route ships without a decision.
 *
 * Actors: anonymous; the owner and a staff user of organization A (which owns every fixture); a staff API key of
 * A and an admin API key of A without access management; the owner of organization B (session) and an API key of B
 * (allowed to manage access, so it reaches as far as a key can). Portal actors join when the portal API exists.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { TOTP } from 'otpauth';
import { type Actor, createOrgAndSignIn, type Harness, signIn, startHarness } from '../support/harness.js';
import { activatedClient, customerWithContacts, enablePortal, type PortalClient } from '../support/portal.js';

type Fixture =
  | 'customer'
  | 'contactPerson'
  | 'tax'
  | 'estimate'
  | 'invoice'
  | 'retainerInvoice'
  | 'payment'
  | 'project'
  | 'task'
  | 'timeEntry'
  | 'recurringProfile'
  | 'paymentAttempt'
  | 'comment'
  | 'user'
  | 'apiKey'
  | 'paymentGateway'
  | 'message'
  | 'webhookEndpoint'
  | 'webhookDelivery'
  | 'quoteRequest'
  | 'secondFactor';

interface Entry {
  /** What a staff user of the same organization may do: settings, users and keys are owner/admin only. */
  staff: 'allow' | 'forbidden';
  /** A body that is valid for the route, so that a refusal is about who asks, not about the input. */
  body?: (ids: Record<Fixture, string>) => unknown;
  /** Public routes answer anonymous callers. */
  public?: true;
  /** Users and API keys: an API key needs the owner's permission to manage access (else 403), whatever its role. */
  accessManagement?: true;
  /** A person's own session or password: no API key has one (401 or 403). */
  notForKeys?: true;
  /** A server-sent event stream: read as a stream (it answers at once and never ends by itself), then closed. */
  stream?: true;
  /**
   * What the route answers the fixture's own client when the fixture has nothing there (200 otherwise): the EPC QR
   * code exists for euro invoices only, and the fixture invoice is in dollars (test/api/bank-transfer.test.ts
   * reads one as its client).
   */
  ownAnswers?: 404;
  /** The path's parameter is a name within each organization (a currency), not an id: B reaches its own. */
  ownKey?: true;
}

const line = { name: 'Work', quantity: '1', rate: 1000 };
/** A 1×1 PNG, for the logo routes (organization A has a logo, so its public logo route answers 200). */
const TINY_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

const MATRIX: Record<string, Entry> = {
  'POST /api/v1/session': { staff: 'allow', public: true, body: () => ({ email: 'x@example.com', password: 'x' }) },
  'GET /api/v1/session': { staff: 'allow', notForKeys: true },
  'POST /api/v1/password/forgot': { staff: 'allow', public: true, body: () => ({ email: 'x@example.com' }) },
  'POST /api/v1/password/reset': {
    staff: 'allow',
    public: true,
    body: () => ({ token: 'not-a-token', password: 'a long enough password here' }),
  },
  'DELETE /api/v1/session': { staff: 'allow' },
  'PUT /api/v1/password': {
    staff: 'allow',
    notForKeys: true,
    body: () => ({ currentPassword: 'wrong password here', newPassword: 'another long password' }),
  },
  'GET /api/v1/organization': { staff: 'allow' },
  'PATCH /api/v1/organization': { staff: 'forbidden', body: () => ({ name: 'Renamed' }) },
  'PUT /api/v1/organization/logo': {
    staff: 'forbidden',
    body: () => ({ contentType: 'image/png', dataBase64: TINY_PNG_BASE64 }),
  },
  'DELETE /api/v1/organization/logo': { staff: 'forbidden' },
  'GET /api/v1/reviews': { staff: 'allow' },
  'GET /api/v1/users': { staff: 'allow', accessManagement: true },
  'POST /api/v1/users': {
    staff: 'forbidden',
    accessManagement: true,
    body: () => ({ email: 'new@example.com', name: 'New', role: 'staff', password: 'a long enough password' }),
  },
  'PATCH /api/v1/users/{id}': { staff: 'forbidden', accessManagement: true, body: () => ({ name: 'Renamed' }) },
  'POST /api/v1/users/{id}/disable': { staff: 'forbidden', accessManagement: true },
  'POST /api/v1/users/{id}/enable': { staff: 'forbidden', accessManagement: true },
  'GET /api/v1/api-keys': { staff: 'forbidden', accessManagement: true },
  'POST /api/v1/api-keys': { staff: 'forbidden', accessManagement: true, body: () => ({ name: 'Key' }) },
  'DELETE /api/v1/api-keys/{id}': { staff: 'forbidden', accessManagement: true },
  // Owner only (test/api/api-key-credentials.test.ts); admins and every key are refused.
  'POST /api/v1/api-keys/{id}/reassign': {
    staff: 'forbidden',
    accessManagement: true,
    body: (ids) => ({ userId: ids.user }),
  },
  'GET /api/v1/audit-log': { staff: 'allow' },
  'GET /api/v1/portal-settings': { staff: 'allow' },
  'PATCH /api/v1/portal-settings': { staff: 'forbidden', body: () => ({ banner: 'Hello' }) },
  'GET /api/v1/payment-gateways': { staff: 'forbidden' },
  'POST /api/v1/payment-gateways': { staff: 'forbidden', body: () => ({ kind: 'sandbox' }) },
  'GET /api/v1/payment-gateways/{id}': { staff: 'forbidden' },
  'PUT /api/v1/payment-gateways/{id}': { staff: 'forbidden', body: () => ({ kind: 'sandbox' }) },
  'DELETE /api/v1/payment-gateways/{id}': { staff: 'forbidden' },
  'POST /api/v1/payment-gateways/{id}/position': { staff: 'forbidden', body: () => ({ position: 1 }) },
  'POST /api/v1/customers/{id}/contact-persons/{contactPersonId}/portal-invitation': { staff: 'allow' },
  'POST /api/v1/customers/{id}/contact-persons/{contactPersonId}/portal-disable': { staff: 'allow' },
  // First run: public, and refused (409) once an organization exists, as here.
  'GET /api/v1/setup': { staff: 'allow', public: true },
  'POST /api/v1/setup': {
    staff: 'allow',
    public: true,
    body: () => ({
      organizationName: 'Intruder',
      portalName: 'intruder',
      currency: 'USD',
      timeZone: 'UTC',
      ownerName: 'Mallory',
      ownerEmail: 'mallory@example.com',
      password: 'a long enough password for setup',
    }),
  },
  'GET /api/v1/portal-activity': { staff: 'allow' },
  'GET /api/v1/home': { staff: 'allow' },
  'GET /api/v1/portal-activity/stream': { staff: 'allow', stream: true },
  // E-mails carry clients' details and (redacted) sign-in links: owners and admins only.
  'GET /api/v1/mailbox': { staff: 'forbidden' },
  'GET /api/v1/mailbox/{id}': { staff: 'forbidden' },
  'GET /api/v1/mailbox/{id}/html': { staff: 'forbidden' },
  // The whole organization's data (docs/export.md): owners, admins and admin API keys.
  'GET /api/v1/export': { staff: 'forbidden' },
  // Bank-transfer instructions (docs/bank-transfer.md): everyone reads them, owners and admins change them.
  'GET /api/v1/bank-transfer-instructions': { staff: 'allow' },
  'PUT /api/v1/bank-transfer-instructions/{currency}': {
    staff: 'forbidden',
    ownKey: true,
    body: () => ({ accountHolder: 'Acme', accountNumber: '000123456789' }),
  },
  'DELETE /api/v1/bank-transfer-instructions/{currency}': { staff: 'forbidden', ownKey: true },
  // Outgoing webhooks (docs/webhooks.md): owners, admins and admin API keys.
  'GET /api/v1/webhook-endpoints': { staff: 'forbidden' },
  'POST /api/v1/webhook-endpoints': {
    staff: 'forbidden',
    body: () => ({ url: 'https://hooks.example.com/b', events: ['invoice.sent'] }),
  },
  'GET /api/v1/webhook-endpoints/{id}': { staff: 'forbidden' },
  'PATCH /api/v1/webhook-endpoints/{id}': { staff: 'forbidden', body: () => ({ description: 'Sync' }) },
  'DELETE /api/v1/webhook-endpoints/{id}': { staff: 'forbidden' },
  'POST /api/v1/webhook-endpoints/{id}/rotate-secret': { staff: 'forbidden' },
  'GET /api/v1/webhook-endpoints/{id}/deliveries': { staff: 'forbidden' },
  'POST /api/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/resend': { staff: 'forbidden' },

  // The portal API: `{slug}` is organization A's portal; see the portal tests below.
  'POST /api/portal/{slug}/session': {
    staff: 'allow',
    public: true,
    body: () => ({ email: 'x@example.com', password: 'x' }),
  },
  'POST /api/portal/{slug}/invitations/accept': {
    staff: 'allow',
    public: true,
    body: () => ({ token: 'not-a-token', password: 'a long enough password here' }),
  },
  'POST /api/portal/{slug}/links/check': {
    staff: 'allow',
    public: true,
    body: () => ({ token: 'not-a-token', purpose: 'invitation' }),
  },
  'POST /api/portal/{slug}/password/forgot': { staff: 'allow', public: true, body: () => ({ email: 'x@example.com' }) },
  'POST /api/portal/{slug}/password/reset': {
    staff: 'allow',
    public: true,
    body: () => ({ token: 'not-a-token', password: 'a long enough password here' }),
  },
  'GET /api/portal/{slug}/brand': { staff: 'allow', public: true },
  'GET /api/portal/{slug}/brand/logo': { staff: 'allow', public: true },
  'GET /api/portal/{slug}/review': { staff: 'allow' },
  'PUT /api/portal/{slug}/review': { staff: 'allow', body: () => ({ rating: 4, comment: 'Good' }) },
  'POST /api/portal/{slug}/estimates/{id}/forward': { staff: 'allow', body: () => ({ email: 'cc@a.example' }) },
  'POST /api/portal/{slug}/invoices/{id}/forward': { staff: 'allow', body: () => ({ email: 'cc@a.example' }) },
  'GET /api/portal/{slug}/session': { staff: 'allow' },
  'GET /api/portal/{slug}/account': { staff: 'allow' },
  'PATCH /api/portal/{slug}/account': { staff: 'allow', body: () => ({ contactPerson: { phone: '+1 555 0100' } }) },
  'PUT /api/portal/{slug}/account/language': { staff: 'allow', body: () => ({ language: 'de' }) },
  'DELETE /api/portal/{slug}/session': { staff: 'allow' },
  'GET /api/portal/{slug}/estimates': { staff: 'allow' },
  'GET /api/portal/{slug}/estimates/{id}': { staff: 'allow' },
  'POST /api/portal/{slug}/estimates/{id}/accept': { staff: 'allow', body: () => ({ signatureName: 'Ann' }) },
  'POST /api/portal/{slug}/estimates/{id}/decline': { staff: 'allow', body: () => ({ reason: 'Too dear' }) },
  // Requests from the portal (docs/requests.md): changes to an estimate, and quote requests.
  'POST /api/portal/{slug}/estimates/{id}/request-changes': {
    staff: 'allow',
    body: () => ({ message: 'Two phases, please' }),
  },
  'GET /api/portal/{slug}/quote-requests': { staff: 'allow' },
  'POST /api/portal/{slug}/quote-requests': { staff: 'allow', body: () => ({ description: 'A new pond' }) },
  'GET /api/portal/{slug}/invoices': { staff: 'allow' },
  'GET /api/portal/{slug}/invoices/{id}': { staff: 'allow' },
  // PDFs and the statement of accounts (portal-pdfs, portal-statement).
  'GET /api/portal/{slug}/estimates/{id}/pdf': { staff: 'allow' },
  'GET /api/portal/{slug}/invoices/{id}/pdf': { staff: 'allow' },
  'GET /api/portal/{slug}/invoices/{id}/e-invoice': { staff: 'allow' },
  'GET /api/portal/{slug}/retainer-invoices/{id}/pdf': { staff: 'allow' },
  'GET /api/portal/{slug}/payments/{id}/receipt': { staff: 'allow' },
  'GET /api/portal/{slug}/statement': { staff: 'allow' },
  'GET /api/portal/{slug}/statement/pdf': { staff: 'allow' },
  'GET /api/portal/{slug}/statement/csv': { staff: 'allow' },
  'GET /api/portal/{slug}/statement/html': { staff: 'allow' },
  // "Download my data" (portal-export): the client's own data only (test/api/export.test.ts).
  'GET /api/portal/{slug}/export': { staff: 'allow' },
  'GET /api/portal/{slug}/invoices/{id}/bank-transfer': { staff: 'allow' },
  'GET /api/portal/{slug}/invoices/{id}/bank-transfer/qr-code': { staff: 'allow', ownAnswers: 404 },
  'GET /api/portal/{slug}/bank-transfer-notices': { staff: 'allow' },
  'GET /api/portal/{slug}/home': { staff: 'allow' },
  'GET /api/portal/{slug}/retainer-invoices': { staff: 'allow' },
  'GET /api/portal/{slug}/retainer-invoices/{id}': { staff: 'allow' },
  'GET /api/portal/{slug}/payments': { staff: 'allow' },
  'GET /api/portal/{slug}/payments/{id}': { staff: 'allow' },
  // Pay Now (online-payments); the Idempotency-Key header is checked after the guard.
  'POST /api/portal/{slug}/payments': {
    staff: 'allow',
    body: (ids) => ({ allocations: [{ invoiceId: ids.invoice, amount: 100 }] }),
  },
  'GET /api/portal/{slug}/payment-attempts/{id}': { staff: 'allow' },
  // Back from the gateway's page: check or cancel the client's own attempt (another customer's is a 404:
  // test/api/stripe-checkout.test.ts).
  'POST /api/portal/{slug}/payment-attempts/{id}/check': { staff: 'allow' },
  'POST /api/portal/{slug}/payment-attempts/{id}/cancel': { staff: 'allow' },
  // Autopay of recurring profiles (portal-autopay); the Idempotency-Key header is checked after the guard.
  'GET /api/portal/{slug}/recurring-profiles': { staff: 'allow' },
  'POST /api/portal/{slug}/recurring-profiles/{id}/autopay': { staff: 'allow', body: () => ({}) },
  // Second factors (docs/second-factors.md): the signed-in person's own, never an API key's.
  'POST /api/v1/session/second-factor': {
    staff: 'allow',
    public: true,
    body: () => ({ token: 'not-a-token', method: 'totp', code: '123456' }),
  },
  'POST /api/v1/session/second-factor/passkey-options': {
    staff: 'allow',
    public: true,
    body: () => ({ token: 'not-a-token' }),
  },
  'GET /api/v1/second-factors': { staff: 'allow', notForKeys: true },
  'POST /api/v1/second-factors/totp': { staff: 'allow', notForKeys: true, body: () => ({}) },
  'POST /api/v1/second-factors/totp/{id}/confirm': {
    staff: 'allow',
    notForKeys: true,
    body: () => ({ code: '123456' }),
  },
  'POST /api/v1/second-factors/passkeys/options': { staff: 'allow', notForKeys: true },
  'POST /api/v1/second-factors/passkeys': {
    staff: 'allow',
    notForKeys: true,
    body: () => ({ credential: { id: 'x', rawId: 'x', type: 'public-key', response: {} } }),
  },
  'POST /api/v1/second-factors/recovery-codes': { staff: 'allow', notForKeys: true },
  'DELETE /api/v1/second-factors/{id}': { staff: 'allow', notForKeys: true },
  'POST /api/v1/customers/{id}/contact-persons/{contactPersonId}/second-factors/reset': { staff: 'forbidden' },
  'POST /api/v1/users/{id}/second-factors/reset': { staff: 'forbidden', accessManagement: true },
  'POST /api/portal/{slug}/session/second-factor': {
    staff: 'allow',
    public: true,
    body: () => ({ token: 'not-a-token', method: 'recovery_code', code: 'abcde-fghij' }),
  },
  'POST /api/portal/{slug}/session/second-factor/passkey-options': {
    staff: 'allow',
    public: true,
    body: () => ({ token: 'not-a-token' }),
  },
  'GET /api/portal/{slug}/second-factors': { staff: 'allow' },
  'POST /api/portal/{slug}/second-factors/totp': { staff: 'allow', body: () => ({}) },
  'POST /api/portal/{slug}/second-factors/totp/{id}/confirm': { staff: 'allow', body: () => ({ code: '123456' }) },
  'POST /api/portal/{slug}/second-factors/passkeys/options': { staff: 'allow' },
  'POST /api/portal/{slug}/second-factors/passkeys': {
    staff: 'allow',
    body: () => ({ credential: { id: 'x', rawId: 'x', type: 'public-key', response: {} } }),
  },
  'POST /api/portal/{slug}/second-factors/recovery-codes': { staff: 'allow' },
  'DELETE /api/portal/{slug}/second-factors/{id}': { staff: 'allow' },
  'DELETE /api/portal/{slug}/recurring-profiles/{id}/autopay': { staff: 'allow' },
  // Gateway webhooks: public, each verified by its signature.
  'POST /api/webhooks/{kind}/{gatewayId}': { staff: 'allow', public: true },
  'PUT /api/portal/{slug}/password': {
    staff: 'allow',
    body: () => ({ currentPassword: 'wrong password here', newPassword: 'another long password' }),
  },

  'GET /api/v1/customers': { staff: 'allow' },
  'POST /api/v1/customers': { staff: 'allow', body: () => ({ displayName: 'New customer' }) },
  'GET /api/v1/customers/{id}': { staff: 'allow' },
  'PATCH /api/v1/customers/{id}': { staff: 'allow', body: () => ({ displayName: 'Renamed' }) },
  'DELETE /api/v1/customers/{id}': { staff: 'allow' },
  'POST /api/v1/customers/{id}/contact-persons': { staff: 'allow', body: () => ({ firstName: 'Eve' }) },
  'PATCH /api/v1/customers/{id}/contact-persons/{contactPersonId}': {
    staff: 'allow',
    body: () => ({ firstName: 'Eve' }),
  },
  'DELETE /api/v1/customers/{id}/contact-persons/{contactPersonId}': { staff: 'allow' },
  'GET /api/v1/customers/{id}/credits': { staff: 'allow' },
  'GET /api/v1/customers/{id}/balance': { staff: 'allow' },
  'GET /api/v1/customers/{id}/statement': { staff: 'allow' },
  'GET /api/v1/customers/{id}/statement/pdf': { staff: 'allow' },
  'GET /api/v1/estimates/{id}/pdf': { staff: 'allow' },
  'GET /api/v1/invoices/{id}/pdf': { staff: 'allow' },
  'GET /api/v1/invoices/{id}/e-invoice': { staff: 'allow' },
  'GET /api/v1/retainer-invoices/{id}/pdf': { staff: 'allow' },
  'GET /api/v1/payments/{id}/receipt': { staff: 'allow' },
  'POST /api/v1/customers/{id}/apply-credit': {
    staff: 'allow',
    body: (ids) => ({ allocations: [{ invoiceId: ids.invoice, amount: 1 }] }),
  },

  'GET /api/v1/taxes': { staff: 'allow' },
  'POST /api/v1/taxes': { staff: 'forbidden', body: () => ({ name: 'GST', rate: '5' }) },
  'GET /api/v1/taxes/{id}': { staff: 'allow' },
  'PATCH /api/v1/taxes/{id}': { staff: 'forbidden', body: () => ({ name: 'Renamed' }) },
  'DELETE /api/v1/taxes/{id}': { staff: 'forbidden' },
  'POST /api/v1/taxes/{id}/default': { staff: 'forbidden' },

  'GET /api/v1/estimates': { staff: 'allow' },
  'POST /api/v1/estimates': { staff: 'allow', body: (ids) => ({ customerId: ids.customer, lines: [line] }) },
  'GET /api/v1/estimates/{id}': { staff: 'allow' },
  'PATCH /api/v1/estimates/{id}': { staff: 'allow', body: () => ({ notes: 'Changed' }) },
  'DELETE /api/v1/estimates/{id}': { staff: 'allow' },
  'POST /api/v1/estimates/{id}/send': { staff: 'allow' },
  'POST /api/v1/estimates/{id}/mark-sent': { staff: 'allow' },
  'POST /api/v1/estimates/{id}/convert': { staff: 'allow' },
  'GET /api/v1/quote-requests': { staff: 'allow' },
  'GET /api/v1/quote-requests/{id}': { staff: 'allow' },
  'POST /api/v1/quote-requests/{id}/dismiss': { staff: 'allow' },

  'GET /api/v1/invoices': { staff: 'allow' },
  'POST /api/v1/invoices': { staff: 'allow', body: (ids) => ({ customerId: ids.customer, lines: [line] }) },
  'GET /api/v1/invoices/{id}': { staff: 'allow' },
  'PATCH /api/v1/invoices/{id}': { staff: 'allow', body: () => ({ notes: 'Changed' }) },
  'DELETE /api/v1/invoices/{id}': { staff: 'allow' },
  'POST /api/v1/invoices/{id}/send': { staff: 'allow' },
  'POST /api/v1/invoices/{id}/mark-sent': { staff: 'allow' },
  'POST /api/v1/invoices/{id}/void': { staff: 'allow' },
  'POST /api/v1/invoices/{id}/reopen': { staff: 'allow' },
  'POST /api/v1/invoices/{id}/write-off': { staff: 'allow', body: () => ({}) },
  'POST /api/v1/invoices/{id}/cancel-write-off': { staff: 'allow' },
  'POST /api/v1/documents/preview': {
    staff: 'allow',
    body: (ids) => ({ customerId: ids.customer, lines: [{ ...line, taxId: ids.tax }] }),
  },

  'GET /api/v1/retainer-invoices': { staff: 'allow' },
  'POST /api/v1/retainer-invoices': {
    staff: 'allow',
    body: (ids) => ({ customerId: ids.customer, lines: [{ description: 'Advance', amount: 5000 }] }),
  },
  'GET /api/v1/retainer-invoices/{id}': { staff: 'allow' },
  'PATCH /api/v1/retainer-invoices/{id}': { staff: 'allow', body: () => ({ notes: 'Changed' }) },
  'DELETE /api/v1/retainer-invoices/{id}': { staff: 'allow' },
  'POST /api/v1/retainer-invoices/{id}/send': { staff: 'allow' },
  'POST /api/v1/retainer-invoices/{id}/void': { staff: 'allow' },
  'POST /api/v1/retainer-invoices/{id}/reopen': { staff: 'allow' },

  'GET /api/v1/payments': { staff: 'allow' },
  'POST /api/v1/payments': {
    staff: 'allow',
    body: (ids) => ({
      customerId: ids.customer,
      date: '2026-03-15',
      amount: 100,
      mode: 'cash',
      allocations: [{ invoiceId: ids.invoice, amount: 100 }],
    }),
  },
  'GET /api/v1/payments/{id}': { staff: 'allow' },
  'GET /api/v1/payment-failures': { staff: 'allow' },
  'PATCH /api/v1/payments/{id}': { staff: 'allow', body: () => ({ reference: 'Changed' }) },
  'DELETE /api/v1/payments/{id}': { staff: 'allow' },

  'GET /api/v1/projects': { staff: 'allow' },
  'POST /api/v1/projects': {
    staff: 'allow',
    body: (ids) => ({ customerId: ids.customer, name: 'New project', billingMethod: 'task_hours' }),
  },
  'GET /api/v1/projects/{id}': { staff: 'allow' },
  'PATCH /api/v1/projects/{id}': { staff: 'allow', body: () => ({ name: 'Renamed' }) },
  'DELETE /api/v1/projects/{id}': { staff: 'allow' },
  'POST /api/v1/projects/{id}/deactivate': { staff: 'allow' },
  'POST /api/v1/projects/{id}/activate': { staff: 'allow' },
  'POST /api/v1/projects/{id}/invoice': { staff: 'allow', body: () => ({}) },
  'GET /api/v1/projects/{id}/tasks': { staff: 'allow' },
  'POST /api/v1/projects/{id}/tasks': { staff: 'allow', body: () => ({ name: 'Task', rate: 100 }) },
  'PATCH /api/v1/projects/{id}/tasks/{taskId}': { staff: 'allow', body: () => ({ name: 'Renamed' }) },
  'DELETE /api/v1/projects/{id}/tasks/{taskId}': { staff: 'allow' },
  'GET /api/v1/projects/{id}/time-entries': { staff: 'allow' },
  'POST /api/v1/projects/{id}/time-entries': {
    staff: 'allow',
    body: (ids) => ({ taskId: ids.task, date: '2026-03-10', hours: '1.5' }),
  },
  'GET /api/v1/projects/{id}/time-entries/{entryId}': { staff: 'allow' },
  'PATCH /api/v1/projects/{id}/time-entries/{entryId}': { staff: 'allow', body: () => ({ hours: '2' }) },
  'DELETE /api/v1/projects/{id}/time-entries/{entryId}': { staff: 'allow' },
  'POST /api/v1/projects/{id}/time-entries/{entryId}/resubmit': { staff: 'allow', body: () => ({}) },

  'GET /api/v1/recurring-profiles': { staff: 'allow' },
  'POST /api/v1/recurring-profiles': {
    staff: 'allow',
    body: (ids) => ({
      customerId: ids.customer,
      name: 'Monthly',
      frequency: 'monthly',
      startDate: '2026-04-01',
      template: { lines: [line] },
    }),
  },
  'GET /api/v1/recurring-profiles/{id}': { staff: 'allow' },
  'PATCH /api/v1/recurring-profiles/{id}': { staff: 'allow', body: () => ({ name: 'Renamed' }) },
  'DELETE /api/v1/recurring-profiles/{id}': { staff: 'allow' },
  'POST /api/v1/recurring-profiles/{id}/stop': { staff: 'allow' },
  'POST /api/v1/recurring-profiles/{id}/resume': { staff: 'allow' },
};

for (const subject of ['estimates', 'invoices', 'retainer-invoices', 'projects']) {
  MATRIX[`GET /api/v1/${subject}/{id}/comments`] = { staff: 'allow' };
  MATRIX[`POST /api/v1/${subject}/{id}/comments`] = { staff: 'allow', body: () => ({ text: 'Hello' }) };
  MATRIX[`DELETE /api/v1/${subject}/{id}/comments/{commentId}`] = { staff: 'allow' };
  MATRIX[`GET /api/v1/${subject}/{id}/history`] = { staff: 'allow' };
  MATRIX[`GET /api/portal/{slug}/${subject}/{id}/comments`] = { staff: 'allow' };
  MATRIX[`POST /api/portal/{slug}/${subject}/{id}/comments`] = { staff: 'allow', body: () => ({ text: 'Hello' }) };
}
MATRIX['GET /api/portal/{slug}/projects'] = { staff: 'allow' };
MATRIX['GET /api/portal/{slug}/projects/{id}'] = { staff: 'allow' };
MATRIX['GET /api/portal/{slug}/projects/{id}/tasks'] = { staff: 'allow' };
MATRIX['GET /api/portal/{slug}/projects/{id}/time-entries'] = { staff: 'allow' };
MATRIX['POST /api/portal/{slug}/projects/{id}/time-entries/approve'] = {
  staff: 'allow',
  body: (ids) => ({ timeEntryIds: [ids.timeEntry] }),
};
MATRIX['POST /api/portal/{slug}/projects/{id}/time-entries/{entryId}/query'] = {
  staff: 'allow',
  body: () => ({ message: 'Why so long?' }),
};

/** Which fixture a path's `{id}` names, by the path's first segment. */
const ID_OF_SEGMENT: Record<string, Fixture> = {
  customers: 'customer',
  taxes: 'tax',
  estimates: 'estimate',
  invoices: 'invoice',
  'retainer-invoices': 'retainerInvoice',
  payments: 'payment',
  projects: 'project',
  'recurring-profiles': 'recurringProfile',
  'payment-attempts': 'paymentAttempt',
  users: 'user',
  'api-keys': 'apiKey',
  'payment-gateways': 'paymentGateway',
  mailbox: 'message',
  'webhook-endpoints': 'webhookEndpoint',
  'quote-requests': 'quoteRequest',
  'second-factors': 'secondFactor',
};
const NAMED_PARAM: Record<string, Fixture> = {
  contactPersonId: 'contactPerson',
  taskId: 'task',
  entryId: 'timeEntry',
  commentId: 'comment',
  deliveryId: 'webhookDelivery',
};

/** Stream routes are read as streams: inject answers once the headers are out, and the test closes the stream. */
const asStream = (entry: Entry | undefined) => (entry?.stream ? { payloadAsStream: true } : {});
function closeStream(entry: Entry | undefined, response: { stream(): NodeJS.ReadableStream }) {
  if (entry?.stream) (response.stream() as unknown as { destroy(): void }).destroy();
}

/** The portal name of organization A, for `{slug}` in portal routes. */
let portalSlug = '';

/** Query strings a route cannot answer without (the e-invoice's format). */
const REQUIRED_QUERY: Record<string, string> = {
  '/api/v1/invoices/{id}/e-invoice': '?format=ubl',
  '/api/portal/{slug}/invoices/{id}/e-invoice': '?format=ubl',
};

function urlFor(path: string, ids: Record<Fixture, string>, comments: Record<string, string>): string {
  // The resource segment: `/api/v1/{resource}/…`, or `/api/portal/{slug}/{resource}/…`.
  const parts = path.split('/');
  const segment = (parts[2] === 'portal' ? parts[4] : parts[3]) ?? '';
  const query = REQUIRED_QUERY[path] ?? '';
  return `${path.replace(/\{(\w+)\}/g, (_all, name: string) => {
    if (name === 'slug') return portalSlug;
    if (name === 'commentId') return comments[segment] ?? ids.comment;
    if (name === 'currency') return 'USD';
    const fixture = name === 'id' ? ID_OF_SEGMENT[segment] : NAMED_PARAM[name];
    if (!fixture) throw new Error(`no fixture for {${name}} in ${path}`);
    return ids[fixture];
  })}${query}`;
}

describe('authorization matrix (business and portal APIs)', () => {
  let harness: Harness;
  let ownerA: Actor;
  let staffA: Actor;
  let ownerB: Actor;
  let keyB: Actor;
  /** API keys of A: one with the staff role, one admin key without access management. */
  let staffKeyA: Actor;
  let adminKeyA: Actor;
  const ids = {} as Record<Fixture, string>;
  const comments: Record<string, string> = {};
  let routes: Array<{ method: string; path: string }> = [];
  let allRoutes: Array<{ method: string; path: string }> = [];
  /** Portal actors: contacts of customer A and B of organization A, of organization B, and a disabled one. */
  const clients = {} as Record<'customerA' | 'customerB' | 'otherOrganization' | 'disabled', PortalClient>;

  before(async () => {
    harness = await startHarness();
    ownerA = await createOrgAndSignIn(harness);
    ownerB = await createOrgAndSignIn(harness);
    const post = async (url: string, payload: unknown = {}) => {
      const response = await ownerA.request({ method: 'POST', url, payload: payload as object });
      assert.ok(response.statusCode < 300, `${url}: ${response.statusCode} ${response.body}`);
      return response.json();
    };
    const staff = await post('/api/v1/users', {
      email: 'staff-a@example.com',
      name: 'Staff A',
      role: 'staff',
      password: 'staff password long enough',
    });
    ids.user = staff.id;
    ids.paymentGateway = (await ownerA.request({ method: 'GET', url: '/api/v1/payment-gateways' })).json().data[0].id;
    staffA = await signIn(harness, 'staff-a@example.com', 'staff password long enough', {
      organizationId: ownerA.organizationId,
      userId: staff.id,
    });
    ids.apiKey = (await post('/api/v1/api-keys', { name: 'A key' })).id;
    // A second factor of A's owner (an authenticator app), confirmed with the code it shows now.
    const totp = await post('/api/v1/second-factors/totp');
    await post(`/api/v1/second-factors/totp/${totp.id}/confirm`, {
      code: new TOTP({ secret: totp.secret }).generate({ timestamp: harness.clock.now.getTime() }),
    });
    ids.secondFactor = totp.id;
    const keyActor = (organizationId: string, key: string): Actor => ({
      organizationId,
      userId: '',
      request: (options) =>
        harness.app.inject({ ...options, headers: { authorization: `Bearer ${key}`, ...(options.headers ?? {}) } }),
    });
    const keyOfB = (
      await ownerB.request({
        method: 'POST',
        url: '/api/v1/api-keys',
        payload: { name: 'B key', canManageAccess: true },
      })
    ).json().key;
    keyB = keyActor(ownerB.organizationId, keyOfB);
    staffKeyA = keyActor(ownerA.organizationId, (await post('/api/v1/api-keys', { name: 'Staff', role: 'staff' })).key);
    adminKeyA = keyActor(ownerA.organizationId, (await post('/api/v1/api-keys', { name: 'Admin' })).key);
    // Used once now, so that their "last used" (kept to the minute; the clock stands still) is not a change later.
    for (const key of [staffKeyA, adminKeyA]) {
      assert.equal((await key.request({ method: 'GET', url: '/api/v1/organization' })).statusCode, 200);
    }
    const customer = await post('/api/v1/customers', {
      displayName: 'Customer of A',
      contactPersons: [{ firstName: 'Ann', email: 'ann@a.example' }],
    });
    ids.customer = customer.id;
    ids.contactPerson = customer.contactPersons[0].id;
    // What e-invoices need of both parties (docs/e-invoices.md), so that the invoice's e-invoice answers 200.
    await ownerA.request({
      method: 'PATCH',
      url: '/api/v1/organization',
      payload: { countryCode: 'FR', taxId: 'FR40303265045' },
    });
    await ownerA.request({
      method: 'PATCH',
      url: `/api/v1/customers/${ids.customer}`,
      payload: { countryCode: 'BE', email: 'accounts@a.example' },
    });
    // An endpoint that hears of the estimate sent below, so that it has a delivery.
    ids.webhookEndpoint = (
      await post('/api/v1/webhook-endpoints', { url: 'https://hooks.example.com/a', events: ['estimate.sent'] })
    ).id;
    ids.tax = (await post('/api/v1/taxes', { name: 'VAT', rate: '20' })).id;
    ids.estimate = (await post('/api/v1/estimates', { customerId: ids.customer, lines: [line] })).id;
    await post(`/api/v1/estimates/${ids.estimate}/send`);
    ids.webhookDelivery = (
      await ownerA.request({ method: 'GET', url: `/api/v1/webhook-endpoints/${ids.webhookEndpoint}/deliveries` })
    ).json().data[0].id;
    ids.invoice = (await post('/api/v1/invoices', { customerId: ids.customer, lines: [{ ...line, rate: 50000 }] })).id;
    await post(`/api/v1/invoices/${ids.invoice}/send`);
    ids.retainerInvoice = (
      await post('/api/v1/retainer-invoices', {
        customerId: ids.customer,
        lines: [{ description: 'Advance', amount: 20000 }],
      })
    ).id;
    await post(`/api/v1/retainer-invoices/${ids.retainerInvoice}/send`);
    ids.payment = (
      await post('/api/v1/payments', {
        customerId: ids.customer,
        date: '2026-03-14',
        amount: 3000,
        mode: 'bank_transfer',
        allocations: [{ invoiceId: ids.invoice, amount: 2000 }],
      })
    ).id;
    ids.project = (
      await post('/api/v1/projects', { customerId: ids.customer, name: 'Site', billingMethod: 'task_hours' })
    ).id;
    ids.task = (await post(`/api/v1/projects/${ids.project}/tasks`, { name: 'Design', rate: 9000 })).id;
    ids.timeEntry = (
      await post(`/api/v1/projects/${ids.project}/time-entries`, { taskId: ids.task, date: '2026-03-12', hours: '2' })
    ).id;
    ids.recurringProfile = (
      await post('/api/v1/recurring-profiles', {
        customerId: ids.customer,
        name: 'Retainer',
        frequency: 'monthly',
        startDate: '2026-04-01',
        template: { lines: [line] },
      })
    ).id;
    for (const [segment, fixture] of [
      ['estimates', 'estimate'],
      ['invoices', 'invoice'],
      ['retainer-invoices', 'retainerInvoice'],
      ['projects', 'project'],
    ] as const) {
      comments[segment] = (await post(`/api/v1/${segment}/${ids[fixture]}/comments`, { text: 'Internal note' })).id;
    }
    ids.comment = comments.invoices ?? '';

    portalSlug = await enablePortal(ownerA, { showProjects: true, reviews: true });
    const logo = await ownerA.request({
      method: 'PUT',
      url: '/api/v1/organization/logo',
      payload: { contentType: 'image/png', dataBase64: TINY_PNG_BASE64 },
    });
    assert.equal(logo.statusCode, 200, logo.body);
    clients.customerA = await activatedClient(
      harness,
      ownerA,
      portalSlug,
      ids.customer,
      ids.contactPerson,
      'ann@a.example',
    );
    // An e-mail of A's mailbox: the invitation just sent.
    ids.message = (
      await harness.ctx.db.kysely
        .selectFrom('outboxMessages')
        .select('id')
        .where('organizationId', '=', ownerA.organizationId)
        .executeTakeFirstOrThrow()
    ).id;
    // A payment attempt of customer A (on the hosted page: it stays requires_action and moves no money).
    const attempt = await clients.customerA.request({
      method: 'POST',
      url: '/payments',
      headers: { 'idempotency-key': 'matrix-attempt' },
      payload: { allocations: [{ invoiceId: ids.invoice, amount: 48000 }] },
    });
    assert.equal(attempt.statusCode, 201, attempt.body);
    ids.paymentAttempt = attempt.json().id;
    // A quote request of customer A's contact person.
    const asked = await clients.customerA.request({
      method: 'POST',
      url: '/quote-requests',
      payload: { description: 'A new pond' },
    });
    assert.equal(asked.statusCode, 201, asked.body);
    ids.quoteRequest = asked.json().id;
    const customerB = await customerWithContacts(ownerA, 'Customer B of A', ['bea@b.example', 'dan@b.example']);
    clients.customerB = await activatedClient(
      harness,
      ownerA,
      portalSlug,
      customerB.id,
      customerB.contacts['bea@b.example'] ?? '',
      'bea@b.example',
    );
    clients.disabled = await activatedClient(
      harness,
      ownerA,
      portalSlug,
      customerB.id,
      customerB.contacts['dan@b.example'] ?? '',
      'dan@b.example',
    );
    await post(
      `/api/v1/customers/${customerB.id}/contact-persons/${customerB.contacts['dan@b.example']}/portal-disable`,
    );
    const slugOfB = await enablePortal(ownerB);
    const customerOfB = await customerWithContacts(ownerB, 'Customer of B', ['ann@a.example']);
    clients.otherOrganization = await activatedClient(
      harness,
      ownerB,
      slugOfB,
      customerOfB.id,
      customerOfB.contacts['ann@a.example'] ?? '',
      'ann@a.example',
    );

    const openapi = (await harness.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    routes = Object.entries(openapi.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path })),
    );
    // Signing out ends the actor's session, so it goes last.
    const signOut = (r: { method: string; path: string }) => r.method === 'DELETE' && r.path.endsWith('/session');
    routes = [...routes.filter((r) => !signOut(r)), ...routes.filter(signOut)];
    allRoutes = routes;
    routes = routes.filter((r) => r.path.startsWith('/api/v1/'));
  });
  after(() => harness.close());

  /** Everything organization A owns, as its owner sees it: nobody else may change any of it. */
  async function snapshotOfA() {
    const urls = [
      `/api/v1/customers/${ids.customer}`,
      `/api/v1/taxes/${ids.tax}`,
      `/api/v1/estimates/${ids.estimate}`,
      `/api/v1/invoices/${ids.invoice}`,
      `/api/v1/retainer-invoices/${ids.retainerInvoice}`,
      `/api/v1/payments/${ids.payment}`,
      `/api/v1/projects/${ids.project}`,
      `/api/v1/projects/${ids.project}/time-entries/${ids.timeEntry}`,
      `/api/v1/recurring-profiles/${ids.recurringProfile}`,
      `/api/v1/invoices/${ids.invoice}/comments`,
      '/api/v1/users',
      '/api/v1/api-keys',
      '/api/v1/organization',
    ];
    const bodies = [];
    for (const url of urls) {
      const response = await ownerA.request({ method: 'GET', url });
      assert.equal(response.statusCode, 200, `${url} ${response.body}`);
      bodies.push(response.json());
    }
    return bodies;
  }

  test('every route of the OpenAPI document has a matrix entry, and every entry is a route', () => {
    const documented = new Set(allRoutes.map((r) => `${r.method} ${r.path}`));
    const missing = [...documented].filter((route) => !(route in MATRIX));
    const stale = Object.keys(MATRIX).filter((route) => !documented.has(route));
    assert.deepEqual(missing, [], 'routes without a matrix entry');
    assert.deepEqual(stale, [], 'matrix entries without a route');
  });

  test('anonymous callers get 401 everywhere but the public routes', async () => {
    for (const { method, path } of routes) {
      const entry = MATRIX[`${method} ${path}`];
      if (!entry || entry.public) continue;
      const response = await harness.app.inject({
        method: method as 'GET',
        url: urlFor(path, ids, comments),
        ...(entry.body ? { payload: entry.body(ids) as object } : {}),
      });
      assert.equal(response.statusCode, 401, `${method} ${path}`);
      assert.equal(response.json().code, 'unauthenticated');
    }
  });

  test("organization B (session and API key) cannot see or touch anything of A's", async () => {
    const before = await snapshotOfA();
    const secrets = Object.values(ids);
    for (const actor of [ownerB, keyB]) {
      for (const { method, path } of routes) {
        const key = `${method} ${path}`;
        const entry = MATRIX[key];
        if (!entry || entry.public) continue;
        const body = entry.body?.(ids);
        const response = await actor.request({
          method: method as 'GET',
          url: urlFor(path, ids, comments),
          ...(body !== undefined ? { payload: body as object } : {}),
          ...asStream(entry),
        });
        closeStream(entry, response);
        if (entry.stream) {
          // B's own stream: B's activity only (test/api/portal-activity.test.ts reads it over HTTP).
          assert.equal(response.statusCode, 200, key);
          continue;
        }
        if (entry.notForKeys && actor === keyB) {
          // A person's own (second factors): no key has one, whatever the id.
          assert.ok([401, 403].includes(response.statusCode), `${key}: ${response.statusCode}`);
        } else if (path.includes('{') && !entry.ownKey) {
          assert.equal(response.statusCode, 404, `${key}: ${response.body}`);
          assert.equal(response.json().code, 'not_found');
        } else if (body !== undefined && JSON.stringify(body).match(/(cus|inv|tsk)_/)) {
          assert.ok([400, 404].includes(response.statusCode), `${key} with A's ids: ${response.statusCode}`);
        } else {
          assert.ok(response.statusCode < 500, `${key}: ${response.statusCode}`);
          for (const id of secrets) assert.ok(!response.body.includes(id), `${key} leaks ${id}`);
        }
      }
    }
    assert.deepEqual(await snapshotOfA(), before, "A's objects are unchanged");
  });

  test('staff of A: reads everything, and is refused (403) what only owners and admins may do', async () => {
    const before = await snapshotOfA();
    for (const { method, path } of routes) {
      const key = `${method} ${path}`;
      const entry = MATRIX[key];
      if (!entry || entry.public) continue;
      const body = entry.body?.(ids);
      if (entry.staff === 'forbidden') {
        const response = await staffA.request({
          method: method as 'GET',
          url: urlFor(path, ids, comments),
          ...(body !== undefined ? { payload: body as object } : {}),
        });
        assert.equal(response.statusCode, 403, `${key}: ${response.body}`);
      } else if (method === 'GET') {
        const response = await staffA.request({ method: 'GET', url: urlFor(path, ids, comments), ...asStream(entry) });
        closeStream(entry, response);
        assert.equal(response.statusCode, 200, `${key}: ${response.body}`);
      }
    }
    assert.deepEqual(await snapshotOfA(), before, 'refused requests change nothing');
  });

  /**
   * An API key of A is refused (403) what its role may not do and, without the owner's permission, users and
   * keys; it reads everything else. A person's own session and password are no key's (401 or 403).
   */
  async function checkKeyOfA(key: Actor, refused: (entry: Entry) => boolean) {
    const before = await snapshotOfA();
    for (const { method, path } of routes) {
      const name = `${method} ${path}`;
      const entry = MATRIX[name];
      if (!entry || entry.public) continue;
      const body = entry.body?.(ids);
      const options = {
        method: method as 'GET',
        url: urlFor(path, ids, comments),
        ...(body !== undefined ? { payload: body as object } : {}),
        ...asStream(entry),
      };
      if (entry.notForKeys) {
        const response = await key.request(options);
        assert.ok([401, 403].includes(response.statusCode), `${name}: ${response.statusCode}`);
      } else if (refused(entry)) {
        const response = await key.request(options);
        assert.equal(response.statusCode, 403, `${name}: ${response.body}`);
        assert.equal(response.json().code, 'forbidden');
      } else if (method === 'GET') {
        const response = await key.request(options);
        closeStream(entry, response);
        assert.equal(response.statusCode, 200, `${name}: ${response.body}`);
      }
    }
    assert.deepEqual(await snapshotOfA(), before, 'refused requests change nothing');
  }

  test('a staff API key of A: refused (403) what staff may not do, and users and keys', async () => {
    await checkKeyOfA(staffKeyA, (entry) => entry.staff === 'forbidden' || entry.accessManagement === true);
  });

  test('an admin API key of A without access management: refused (403) users and keys only', async () => {
    await checkKeyOfA(adminKeyA, (entry) => entry.accessManagement === true);
  });

  test('the owner of A reads every GET route of its own objects', async () => {
    for (const { method, path } of routes) {
      if (method !== 'GET' || !(`${method} ${path}` in MATRIX)) continue;
      const entry = MATRIX[`${method} ${path}`];
      const response = await ownerA.request({ method: 'GET', url: urlFor(path, ids, comments), ...asStream(entry) });
      closeStream(entry, response);
      assert.equal(response.statusCode, 200, `${path}: ${response.body}`);
    }
  });

  /** A request with a portal client's cookie and CSRF token to any URL (not only its own portal's). */
  const asClient = (client: PortalClient, options: InjectOptions) =>
    harness.app.inject({ ...options, headers: { cookie: client.cookie, 'x-csrf-token': client.csrfToken } });

  test('portal routes: anonymous, disabled, other organizations and business sessions are refused', async () => {
    const portalRoutes = allRoutes.filter((r) => r.path.startsWith('/api/portal/'));
    assert.ok(portalRoutes.length > 0);
    for (const { method, path } of portalRoutes) {
      const key = `${method} ${path}`;
      const entry = MATRIX[key];
      assert.ok(entry, key);
      const body = entry.body?.(ids);
      const options = {
        method: method as 'GET',
        url: urlFor(path, ids, comments),
        ...(body !== undefined ? { payload: body as object } : {}),
      };
      const anonymous = await harness.app.inject(options);
      if (entry.public) {
        // Public: answered on its own terms (a wrong password is a 401 of its own), never a server error.
        assert.ok(anonymous.statusCode < 500, `${key}: ${anonymous.statusCode}`);
        continue;
      }
      assert.equal(anonymous.statusCode, 401, `${key} anonymous`);
      assert.equal((await asClient(clients.disabled, options)).statusCode, 401, `${key} disabled contact`);
      assert.equal((await asClient(clients.otherOrganization, options)).statusCode, 401, `${key} other organization`);
      assert.equal((await ownerA.request(options)).statusCode, 401, `${key} business session`);
    }
  });

  test('portal clients see their own customer only; portal sessions open no business route', async () => {
    for (const { method, path } of allRoutes) {
      const key = `${method} ${path}`;
      if (path.startsWith('/api/v1/')) {
        if (MATRIX[key]?.public) continue;
        const response = await asClient(clients.customerA, {
          method: method as 'GET',
          url: urlFor(path, ids, comments),
        });
        assert.equal(response.statusCode, 401, `${key} with a portal session`);
        continue;
      }
      if (method !== 'GET') continue;
      const own = await asClient(clients.customerA, { method: 'GET', url: urlFor(path, ids, comments) });
      assert.equal(own.statusCode, MATRIX[key]?.ownAnswers ?? 200, `${key}: ${own.body}`);
      const neighbour = await asClient(clients.customerB, { method: 'GET', url: urlFor(path, ids, comments) });
      // A document of customer A, by id, is as unknown to customer B as a missing one.
      assert.equal(neighbour.statusCode, path.includes('{id}') ? 404 : 200, `${key}: ${neighbour.body}`);
      for (const secret of [ids.customer, ids.contactPerson, ids.invoice, ids.estimate, ids.payment]) {
        assert.ok(!neighbour.body.includes(secret), `${key} shows customer B something of customer A's`);
      }
    }
  });
});
