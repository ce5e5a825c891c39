/**
 * The demo: two organizations with customers, documents in every client-visible state, payments, a retainer,
 * a project with time, and comments — enough to explore the back office and the portal at once.
 *
 * It is written through the business API (`app.inject`, signed in as each organization's owner), so the demo
 * is exactly what a user of the API could have made, and it keeps working as the modules change inside.
 * Only what no API can do yet is written to the database directly, each time with the reason next to it.
 * Dates are relative to today, so the demo always has overdue invoices and months of statement history.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { newId } from '../db/ids.js';
import type { PortalStatus } from '../db/schema.js';
import { addDays, addMonths, startOfMonth } from '../domain/dates.js';
import { createOrganization, organizationToday } from '../modules/organization/index.js';

/**
 * The fixed demo passwords (README.md), so a newcomer can sign in at once. Never use them for real data.
 * This is the one place they are defined: `seed --demo --json`, the `serve` banner and the tests read them here.
 */
export const DEMO_PASSWORDS = {
  owner: 'portico-demo-owner',
  staff: 'portico-demo-staff',
  /**
   * Every demo contact with portal access (`portal: 'active'` below) signs in to their organization's portal with
   * it. It passes the portal's password policy for each of them: 15+ characters, not a common password, and it
   * contains neither an organization's name nor an e-mail's name (alice, chloe, dev, yuki, kenji).
   */
  client: 'portico-demo-client',
} as const;
export const DEMO_CLIENT_PASSWORD = DEMO_PASSWORDS.client;

interface DemoContact {
  firstName: string;
  lastName: string;
  email: string;
  phone?: string;
  /**
   * Portal access, granted through the API: `active` is invited and has accepted with DEMO_CLIENT_PASSWORD,
   * `invited` has the invitation e-mail but never accepted it; without it, the person was never invited.
   */
  portal?: 'active' | 'invited';
}

interface DemoCustomer {
  displayName: string;
  companyName: string;
  email: string;
  billingAddress: Record<string, string>;
  contacts: DemoContact[];
}

interface DemoOrganization {
  slug: string;
  name: string;
  currency: string;
  timeZone: string;
  locale: string;
  users: Array<{ email: string; name: string; role: 'owner' | 'staff' }>;
  tax: { name: string; rate: string };
  /** The portal settings (PATCH /portal-settings) besides `enabled: true`. */
  portal: { banner: string; showProjects?: boolean; reviews?: boolean };
  customers: DemoCustomer[];
  documents(demo: DemoBuilder): Promise<void>;
}

/**
 * The demo organizations, in order; the first contact of the first customer of the first one is the showcase.
 * Their portals are on, and the contacts show every portal status: most can sign in, Ben Ortiz was invited but
 * never accepted, Marcus Lee was never invited.
 */
export const DEMO_ORGANIZATIONS: DemoOrganization[] = [
  {
    slug: 'northwind',
    name: 'Northwind Studio',
    currency: 'USD',
    timeZone: 'America/New_York',
    locale: 'en-US',
    users: [
      { email: 'owner@northwind.example', name: 'Nora Winters', role: 'owner' },
      { email: 'sam@northwind.example', name: 'Sam Patel', role: 'staff' },
    ],
    tax: { name: 'Sales tax', rate: '8.25' },
    portal: {
      banner:
        'Welcome to the Northwind Studio client portal! Here you can review estimates, pay invoices, follow your ' +
        'projects and download statements. Questions? Comment on any document and we will get back to you.',
      showProjects: true,
      reviews: true,
    },
    customers: [
      {
        displayName: 'Bluebird Bakery',
        companyName: 'Bluebird Bakery LLC',
        email: 'hello@bluebird-bakery.example',
        billingAddress: {
          street1: '12 Orchard Street',
          city: 'Portland',
          state: 'OR',
          postalCode: '97204',
          country: 'US',
        },
        contacts: [
          {
            firstName: 'Alice',
            lastName: 'Martin',
            email: 'alice@bluebird-bakery.example',
            phone: '+1 503 555 0142',
            portal: 'active',
          },
          { firstName: 'Ben', lastName: 'Ortiz', email: 'ben@bluebird-bakery.example', portal: 'invited' },
        ],
      },
      {
        displayName: 'Harbor & Pine Architects',
        companyName: 'Harbor & Pine Architects PC',
        email: 'office@harborpine.example',
        billingAddress: {
          street1: '400 Water Street',
          city: 'Seattle',
          state: 'WA',
          postalCode: '98104',
          country: 'US',
        },
        contacts: [
          { firstName: 'Chloe', lastName: 'Dubois', email: 'chloe@harborpine.example', portal: 'active' },
          { firstName: 'Marcus', lastName: 'Lee', email: 'marcus@harborpine.example' },
        ],
      },
      {
        displayName: 'Lumen Dental Group',
        companyName: 'Lumen Dental Group Inc.',
        email: 'admin@lumendental.example',
        billingAddress: { street1: '88 Alder Avenue', city: 'Boise', state: 'ID', postalCode: '83702', country: 'US' },
        contacts: [{ firstName: 'Dev', lastName: 'Raman', email: 'dev@lumendental.example', portal: 'active' }],
      },
    ],
    documents: northwindDocuments,
  },
  {
    slug: 'kobe-works',
    name: 'Kōbe Works',
    currency: 'JPY',
    timeZone: 'Asia/Tokyo',
    locale: 'ja-JP',
    users: [
      { email: 'owner@kobe-works.example', name: 'Haruto Sato', role: 'owner' },
      { email: 'aiko@kobe-works.example', name: 'Aiko Ito', role: 'staff' },
    ],
    tax: { name: 'Consumption tax', rate: '10' },
    portal: {
      banner:
        'ようこそ。Welcome to the Kōbe Works client portal: your estimates, invoices and statements, in one place.',
    },
    customers: [
      {
        displayName: 'Sakura Tea House',
        companyName: 'Sakura Tea House K.K.',
        email: 'info@sakura-tea.example',
        billingAddress: {
          street1: '3-1 Kitano-cho',
          city: 'Kobe',
          state: 'Hyogo',
          postalCode: '650-0002',
          country: 'JP',
        },
        contacts: [{ firstName: 'Yuki', lastName: 'Tanaka', email: 'yuki@sakura-tea.example', portal: 'active' }],
      },
      {
        displayName: 'Minato Logistics',
        companyName: 'Minato Logistics Co., Ltd.',
        email: 'billing@minato-logistics.example',
        billingAddress: {
          street1: '5-7 Hatoba-cho',
          city: 'Kobe',
          state: 'Hyogo',
          postalCode: '650-0042',
          country: 'JP',
        },
        contacts: [{ firstName: 'Kenji', lastName: 'Mori', email: 'kenji@minato-logistics.example', portal: 'active' }],
      },
    ],
    documents: kobeWorksDocuments,
  },
];

// ——— Talking to the API ———

type Json = Record<string, unknown>;

/** The few fields of a created resource the demo reads back. */
interface Created {
  id: string;
  total?: number;
  balance?: number;
  contactPersons?: Array<{ id: string; email: string | null }>;
}

/** A signed-in owner: every write goes through the routes, with the session cookie and the CSRF token. */
class DemoApi {
  private constructor(
    private readonly app: FastifyInstance,
    private readonly cookie: string,
    private readonly csrfToken: string,
  ) {}

  static async signIn(app: FastifyInstance, email: string, password: string, organization: string) {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email, password, organization },
    });
    if (response.statusCode !== 200) throw new Error(`demo: sign-in as ${email} failed: ${response.body}`);
    const cookie = response.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    return new DemoApi(app, cookie, (response.json() as { csrfToken: string }).csrfToken);
  }

  post(url: string, body: Json = {}): Promise<Created> {
    return this.send('POST', url, body);
  }

  patch(url: string, body: Json): Promise<Created> {
    return this.send('PATCH', url, body);
  }

  put(url: string, body: Json): Promise<Created> {
    return this.send('PUT', url, body);
  }

  private async send(method: 'POST' | 'PATCH' | 'PUT', url: string, body: Json): Promise<Created> {
    const response = await this.app.inject({
      method,
      url: `/api/v1${url}`,
      payload: body,
      headers: { cookie: this.cookie, 'x-csrf-token': this.csrfToken },
    });
    if (response.statusCode >= 300) {
      throw new Error(`demo: ${method} /api/v1${url} answered ${response.statusCode}: ${response.body}`);
    }
    return response.json() as Created;
  }

  async signOut(): Promise<void> {
    await this.app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: { cookie: this.cookie, 'x-csrf-token': this.csrfToken },
    });
  }
}

/**
 * What an invited client does with the e-mail: takes the token from its link and accepts on the portal API with
 * DEMO_CLIENT_PASSWORD, then signs out. The token is read from the invitation just written to the outbox (by
 * address and organization: the same address could have mail from both). The message stays in the outbox as it
 * is: the mail worker delivers it (an .eml file without SMTP_URL), so a newcomer sees what the client received.
 */
async function acceptPortalInvitation(
  ctx: AppContext,
  app: FastifyInstance,
  organization: { id: string; slug: string },
  email: string,
): Promise<void> {
  const message = await ctx.db.kysely
    .selectFrom('outboxMessages')
    .select('textBody')
    .where('toAddress', '=', email)
    .where('organizationId', '=', organization.id)
    .where('template', '=', 'portalInvitation')
    .orderBy('createdAt', 'desc')
    .executeTakeFirst();
  const token = message && /accept-invitation#token=([A-Za-z0-9_-]+)/.exec(message.textBody)?.[1];
  if (!token) throw new Error(`demo: no portal invitation for ${email} in the outbox`);
  const portal = `/api/portal/${organization.slug}`;
  const accepted = await app.inject({
    method: 'POST',
    url: `${portal}/invitations/accept`,
    payload: { token, password: DEMO_CLIENT_PASSWORD },
  });
  if (accepted.statusCode !== 200) {
    throw new Error(`demo: ${email} could not accept the portal invitation: ${accepted.body}`);
  }
  await app.inject({
    method: 'DELETE',
    url: `${portal}/session`,
    headers: {
      cookie: accepted.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
      'x-csrf-token': (accepted.json() as { csrfToken: string }).csrfToken,
    },
  });
}

interface Line {
  name: string;
  description?: string;
  quantity: string;
  rate: number;
  taxed?: boolean;
}

interface Allocation {
  invoice: Created;
  /** Defaults to what is left to pay on the invoice. */
  amount?: number;
}

/** What the organization's story is written with: today-relative dates and one call per business action. */
class DemoBuilder {
  constructor(
    readonly ctx: AppContext,
    readonly api: DemoApi,
    readonly organizationId: string,
    readonly today: string,
    readonly taxId: string,
    readonly customers: Array<{ id: string; contactIds: string[] }>,
  ) {}

  /** The date `offset` days from today (negative: in the past). */
  day(offset: number): string {
    return addDays(this.today, offset);
  }

  /** A timestamp on that day, mid-afternoon UTC, for states written directly. */
  at(offset: number): string {
    return `${this.day(offset)}T15:20:00.000Z`;
  }

  customer(index: number): { id: string; contactIds: string[] } {
    const customer = this.customers[index];
    if (!customer) throw new Error(`demo: no customer #${index}`);
    return customer;
  }

  contact(customerIndex: number, contactIndex = 0): string {
    const id = this.customer(customerIndex).contactIds[contactIndex];
    if (!id) throw new Error(`demo: no contact #${contactIndex} of customer #${customerIndex}`);
    return id;
  }

  private lines(lines: Line[]) {
    return lines.map(({ taxed = true, ...line }) => (taxed ? { ...line, taxId: this.taxId } : line));
  }

  async estimate(
    customerIndex: number,
    options: { issued: number; lines: Line[]; notes?: string; send?: boolean },
  ): Promise<Created> {
    const estimate = await this.api.post('/estimates', {
      customerId: this.customer(customerIndex).id,
      issueDate: this.day(options.issued),
      expiryDate: this.day(options.issued + 30),
      lines: this.lines(options.lines),
      ...(options.notes ? { notes: options.notes } : {}),
      terms: 'Prices valid until the expiry date. 50% deposit on acceptance.',
    });
    if (options.send !== false) await this.api.post(`/estimates/${estimate.id}/mark-sent`);
    return estimate;
  }

  async invoice(
    customerIndex: number,
    options: { issued: number; dueIn?: number; lines: Line[]; send?: boolean },
  ): Promise<Created> {
    const invoice = await this.api.post('/invoices', {
      customerId: this.customer(customerIndex).id,
      issueDate: this.day(options.issued),
      dueDate: this.day(options.issued + (options.dueIn ?? 30)),
      lines: this.lines(options.lines),
      allowPartialPayments: true,
    });
    if (options.send === false) return invoice;
    return this.api.post(`/invoices/${invoice.id}/mark-sent`);
  }

  async payment(
    customerIndex: number,
    options: { on: number; allocations: Allocation[]; mode?: string; reference?: string },
  ): Promise<Created> {
    const allocations = options.allocations.map(({ invoice, amount }) => ({
      invoiceId: invoice.id,
      amount: amount ?? invoice.balance ?? invoice.total ?? 0,
    }));
    return this.api.post('/payments', {
      customerId: this.customer(customerIndex).id,
      date: this.day(options.on),
      amount: allocations.reduce((sum, a) => sum + a.amount, 0),
      mode: options.mode ?? 'bank_transfer',
      ...(options.reference ? { reference: options.reference } : {}),
      allocations,
    });
  }

  async comment(subject: 'invoices' | 'estimates' | 'projects', id: string, text: string, showInPortal = true) {
    await this.api.post(`/${subject}/${id}/comments`, { text, showInPortal });
  }

  // Clients view, accept and decline estimates, comment and review in the portal, dated when they do it. The
  // demo's story spans months, so it writes those client actions directly, back-dated, and every client-visible
  // state is shown.

  /** The document history entry the portal writes for a client's action (the back office's activity feed reads it). */
  private async clientHistory(
    subjectType: 'estimate' | 'invoice' | 'project',
    subjectId: string,
    contactPersonId: string,
    event: 'viewed' | 'accepted' | 'declined' | 'commented',
    description: string,
    on: number,
  ) {
    await this.ctx.db.kysely
      .insertInto('history')
      .values({
        id: newId('hst'),
        organizationId: this.organizationId,
        subjectType,
        subjectId,
        event,
        description,
        actorType: 'contact_person',
        actorId: contactPersonId,
        ip: '203.0.113.7',
        shownInPortal: event === 'accepted' || event === 'declined' ? 1 : 0,
        createdAt: this.at(on),
      })
      .execute();
  }

  async clientViewed(kind: 'estimates' | 'invoices', id: string, contactPersonId: string, on: number) {
    await this.ctx.db.kysely
      .updateTable(kind)
      .set({ viewedAt: this.at(on), viewedByContactPersonId: contactPersonId })
      .where('id', '=', id)
      .where('organizationId', '=', this.organizationId)
      .execute();
    const subject = kind === 'estimates' ? 'estimate' : 'invoice';
    await this.clientHistory(subject, id, contactPersonId, 'viewed', `Viewed by the client`, on);
  }

  async clientDecided(
    estimateId: string,
    contactPersonId: string,
    on: number,
    decision: { status: 'accepted'; signatureName: string } | { status: 'declined'; reason: string },
  ) {
    await this.clientViewed('estimates', estimateId, contactPersonId, on);
    await this.ctx.db.kysely
      .updateTable('estimates')
      .set({
        status: decision.status,
        decidedAt: this.at(on),
        decidedByContactPersonId: contactPersonId,
        decidedIp: '203.0.113.7',
        signatureName: decision.status === 'accepted' ? decision.signatureName : null,
        declineReason: decision.status === 'declined' ? decision.reason : null,
      })
      .where('id', '=', estimateId)
      .where('organizationId', '=', this.organizationId)
      .execute();
    await this.clientHistory(
      'estimate',
      estimateId,
      contactPersonId,
      decision.status,
      decision.status === 'accepted' ? 'Accepted by the client' : 'Declined by the client',
      on,
    );
  }

  /** A client's request for changes to a sent estimate (docs/requests.md), as the portal writes it. */
  async clientRequestedChanges(estimateId: string, contactPersonId: string, on: number, message: string) {
    await this.clientViewed('estimates', estimateId, contactPersonId, on);
    await this.ctx.db.kysely
      .updateTable('estimates')
      .set({
        status: 'changes_requested',
        changesRequestedAt: this.at(on),
        changesRequestedByContactPersonId: contactPersonId,
        changeRequestMessage: message,
      })
      .where('id', '=', estimateId)
      .where('organizationId', '=', this.organizationId)
      .execute();
    await this.ctx.db.kysely
      .insertInto('history')
      .values({
        id: newId('hst'),
        organizationId: this.organizationId,
        subjectType: 'estimate',
        subjectId: estimateId,
        event: 'changes_requested',
        description: `Changes requested: ${message}`,
        actorType: 'contact_person',
        actorId: contactPersonId,
        ip: '203.0.113.7',
        shownInPortal: 1,
        createdAt: this.at(on),
      })
      .execute();
  }

  /** A client's open quote request from the portal (docs/requests.md). */
  async clientRequestedQuote(customerIndex: number, on: number, description: string, details: string | null) {
    const id = newId('qrq');
    await this.ctx.db.kysely
      .insertInto('quoteRequests')
      .values({
        id,
        organizationId: this.organizationId,
        customerId: this.customer(customerIndex).id,
        contactPersonId: this.contact(customerIndex),
        description,
        details,
        status: 'open',
        estimateId: null,
        closedAt: null,
        closedByUserId: null,
        createdAt: this.at(on),
        updatedAt: this.at(on),
      })
      .execute();
    await this.ctx.db.kysely
      .insertInto('history')
      .values({
        id: newId('hst'),
        organizationId: this.organizationId,
        subjectType: 'quote_request',
        subjectId: id,
        event: 'requested',
        description: `Quote requested: ${description}`,
        actorType: 'contact_person',
        actorId: this.contact(customerIndex),
        ip: '203.0.113.7',
        shownInPortal: 1,
        createdAt: this.at(on),
      })
      .execute();
  }

  async clientComment(
    subjectType: 'estimate' | 'invoice' | 'project',
    subjectId: string,
    contactPersonId: string,
    text: string,
    on: number,
  ) {
    await this.ctx.db.kysely
      .insertInto('comments')
      .values({
        id: newId('cmt'),
        organizationId: this.organizationId,
        subjectType,
        subjectId,
        authorType: 'contact_person',
        userId: null,
        contactPersonId,
        text,
        shownInPortal: 1,
        createdAt: this.at(on),
        deletedAt: null,
      })
      .execute();
    await this.clientHistory(subjectType, subjectId, contactPersonId, 'commented', 'Commented in the portal', on);
  }

  /** A client's review of the organization (the portal's "Rate us"), back-dated like the other client actions. */
  async clientReviewed(customerIndex: number, contactPersonId: string, rating: number, comment: string, on: number) {
    await this.ctx.db.kysely
      .insertInto('reviews')
      .values({
        id: newId('rev'),
        organizationId: this.organizationId,
        customerId: this.customer(customerIndex).id,
        contactPersonId,
        rating,
        comment,
        createdAt: this.at(on),
        updatedAt: this.at(on),
      })
      .execute();
  }

  /** The nightly job marks estimates past their expiry date; the demo does it at once for an old one. */
  async expired(estimateId: string) {
    await this.ctx.db.kysely
      .updateTable('estimates')
      .set({ status: 'expired' })
      .where('id', '=', estimateId)
      .where('organizationId', '=', this.organizationId)
      .where('status', '=', 'sent')
      .execute();
  }
}

// ——— The stories ———

async function northwindDocuments(demo: DemoBuilder): Promise<void> {
  const alice = demo.contact(0, 0);

  // Bluebird Bakery, the showcase. Its story starts five months ago with a maintenance invoice…
  const maintenance = await demo.invoice(0, {
    issued: -150,
    lines: [{ name: 'Website maintenance', description: 'Three months', quantity: '3', rate: 45000 }],
  });
  await demo.payment(0, { on: -126, allocations: [{ invoice: maintenance }], reference: 'ACH 88120' });

  // …then estimates in every state a client can see, the first one accepted and invoiced…
  const branding = await demo.estimate(0, {
    issued: -140,
    lines: [
      { name: 'Logo design', description: 'Three concepts, two rounds of revisions', quantity: '1', rate: 180000 },
      { name: 'Brand guidelines', description: 'Colours, type and usage rules (PDF)', quantity: '1', rate: 95000 },
    ],
    notes: 'Thank you for thinking of us for your new brand.',
  });
  await demo.clientDecided(branding.id, alice, -137, { status: 'accepted', signatureName: 'Alice Martin' });
  // Converting makes a draft dated today; the demo dates it back to when it happened.
  const converted = await demo.api.post(`/estimates/${branding.id}/convert`);
  await demo.api.patch(`/invoices/${converted.id}`, { issueDate: demo.day(-136), dueDate: demo.day(-106) });
  const brandingInvoice = await demo.api.post(`/invoices/${converted.id}/mark-sent`);
  await demo.payment(0, {
    on: -118,
    allocations: [{ invoice: brandingInvoice }],
    mode: 'check',
    reference: 'Check 1042',
  });

  const photography = await demo.estimate(0, {
    issued: -75,
    lines: [{ name: 'Menu photography', description: 'Half-day shoot, 20 edited photos', quantity: '1', rate: 120000 }],
  });
  await demo.clientViewed('estimates', photography.id, alice, -70);
  await demo.expired(photography.id);

  const loyaltyApp = await demo.estimate(0, {
    issued: -50,
    lines: [
      { name: 'Loyalty app prototype', quantity: '1', rate: 450000 },
      { name: 'User testing sessions', quantity: '4', rate: 30000 },
    ],
  });
  await demo.clientDecided(loyaltyApp.id, alice, -44, {
    status: 'declined',
    reason: 'We will revisit the app after the holidays.',
  });

  const windowDisplay = await demo.estimate(0, {
    issued: -21,
    lines: [
      { name: 'Spring window display', description: 'Design and installation', quantity: '1', rate: 240000 },
      { name: 'Printed decals', quantity: '6', rate: 4500 },
    ],
  });
  await demo.clientDecided(windowDisplay.id, alice, -19, { status: 'accepted', signatureName: 'Alice Martin' });
  await demo.clientComment(
    'estimate',
    windowDisplay.id,
    alice,
    'Looks great, approved! Could you start on the 1st?',
    -19,
  );
  await demo.comment('estimates', windowDisplay.id, 'Perfect, we have you down for the 1st. Thank you, Alice!');

  const packaging = await demo.estimate(0, {
    issued: -8,
    lines: [
      { name: 'Packaging labels redesign', description: 'Bread bags and pastry boxes', quantity: '1', rate: 160000 },
    ],
  });
  await demo.clientViewed('estimates', packaging.id, alice, -6);

  // …one Alice asked changes to, waiting for the business's revision, and a quote she asked for (docs/requests.md)…
  const catering = await demo.estimate(0, {
    issued: -5,
    lines: [
      { name: 'Anniversary catering trays', description: 'Three trays of sweet pastries', quantity: '3', rate: 8500 },
    ],
  });
  await demo.clientRequestedChanges(
    catering.id,
    alice,
    -4,
    'Could one of the three trays be savoury pastries instead? Otherwise it looks right.',
  );
  await demo.clientRequestedQuote(
    0,
    -1,
    'Bread and pastry photos for our new website',
    'About 30 photos, taken in the bakery early in the morning. Could you quote for a half day?',
  );

  await demo.estimate(0, {
    issued: -2,
    lines: [
      { name: 'Seasonal social media kit', description: '12 post templates, 6 stories', quantity: '1', rate: 85000 },
    ],
  });
  await demo.estimate(0, {
    issued: 0,
    lines: [{ name: 'Storefront photography', quantity: '1', rate: 70000 }],
    send: false,
  });

  // …invoices over five months: paid, void, overdue, partially paid, sent, and a draft the client never sees…
  const menuBoards = await demo.invoice(0, {
    issued: -105,
    lines: [
      { name: 'Menu boards design', quantity: '3', rate: 38000 },
      { name: 'Printing', description: 'Matte, 24×36 in', quantity: '3', rate: 9500 },
    ],
  });
  await demo.payment(0, { on: -82, allocations: [{ invoice: menuBoards }], mode: 'check', reference: 'Check 1057' });

  const duplicate = await demo.invoice(0, {
    issued: -95,
    lines: [{ name: 'Menu boards design', quantity: '3', rate: 38000 }],
  });
  await demo.api.post(`/invoices/${duplicate.id}/void`);

  const session = await demo.invoice(0, {
    issued: -80,
    lines: [{ name: 'Photography session', description: 'Seasonal pastries', quantity: '1', rate: 95000 }],
  });
  const printing = await demo.invoice(0, {
    issued: -70,
    lines: [{ name: 'Print coordination', quantity: '5.5', rate: 9000, taxed: false }],
  });
  await demo.payment(0, { on: -46, allocations: [{ invoice: session }, { invoice: printing }], mode: 'card' });

  const campaign = await demo.invoice(0, {
    issued: -55,
    lines: [
      { name: 'Instagram campaign', description: 'Four weeks, 16 posts', quantity: '1', rate: 210000 },
      { name: 'Ad spend management', quantity: '6', rate: 12000 },
    ],
  });
  await demo.clientViewed('invoices', campaign.id, alice, -50);
  await demo.comment('invoices', campaign.id, 'A friendly reminder that this invoice is now past due.');
  await demo.clientComment('invoice', campaign.id, alice, 'Sorry for the delay, payment goes out next week.', -20);
  await demo.comment('invoices', campaign.id, 'Alice confirmed by phone: paying next week.', false);

  const production = await demo.invoice(0, {
    issued: -18,
    lines: [
      { name: 'Window display production', quantity: '1', rate: 180000 },
      { name: 'Installation', quantity: '6', rate: 9500 },
    ],
  });
  await demo.payment(0, { on: -10, allocations: [{ invoice: production, amount: 100000 }], reference: 'ACH 90311' });

  await demo.invoice(0, {
    issued: -4,
    lines: [{ name: 'Website maintenance', description: 'This month', quantity: '1', rate: 45000 }],
  });
  await demo.invoice(0, {
    issued: 0,
    lines: [{ name: 'Storefront photography', quantity: '1', rate: 70000 }],
    send: false,
  });

  // …a retainer paid in advance and one waiting, a recurring plan, and a project with its timesheet.
  const advance = await demo.api.post('/retainer-invoices', {
    customerId: demo.customer(0).id,
    issueDate: demo.day(-30),
    lines: [{ description: 'Advance for the spring campaign', amount: 150000 }],
  });
  await demo.api.post(`/retainer-invoices/${advance.id}/send`);
  await demo.api.post('/payments', {
    customerId: demo.customer(0).id,
    date: demo.day(-28),
    amount: 150000,
    mode: 'bank_transfer',
    reference: 'ACH 89977',
    retainerInvoiceId: advance.id,
  });
  const retainer = await demo.api.post('/retainer-invoices', {
    customerId: demo.customer(0).id,
    issueDate: demo.day(-5),
    lines: [{ description: 'Retainer for next quarter’s photography', amount: 80000 }],
  });
  await demo.api.post(`/retainer-invoices/${retainer.id}/send`);

  await demo.api.post('/recurring-profiles', {
    customerId: demo.customer(0).id,
    name: 'Website care plan',
    frequency: 'monthly',
    startDate: startOfMonth(addMonths(demo.today, 1)),
    template: {
      lines: [
        {
          name: 'Website care plan',
          description: 'Updates, backups, monitoring',
          quantity: '1',
          rate: 45000,
          taxId: demo.taxId,
        },
      ],
    },
  });

  const website = await demo.api.post('/projects', {
    customerId: demo.customer(0).id,
    name: 'Website redesign',
    billingMethod: 'task_hours',
  });
  const design = await demo.api.post(`/projects/${website.id}/tasks`, { name: 'Design', rate: 12000, billable: true });
  const build = await demo.api.post(`/projects/${website.id}/tasks`, {
    name: 'Development',
    rate: 15000,
    billable: true,
  });
  const meetings = await demo.api.post(`/projects/${website.id}/tasks`, {
    name: 'Project meetings',
    rate: 9000,
    billable: true,
  });
  const timesheet: Array<[number, Created, string, string]> = [
    [-38, meetings, '1', 'Kick-off with Alice and Ben'],
    [-36, design, '3.5', 'Moodboards'],
    [-33, design, '4', 'Wireframes, home and menu pages'],
    [-29, meetings, '0.75', 'Wireframe review'],
    [-26, design, '5', 'Visual design'],
    [-21, build, '6', 'Theme setup'],
    [-19, build, '4.5', 'Menu pages'],
    [-14, build, '2.5', 'Online ordering integration'],
    [-9, design, '2', 'Revisions after review'],
    [-3, build, '3', 'Accessibility fixes'],
  ];
  for (const [offset, task, hours, notes] of timesheet) {
    await demo.api.post(`/projects/${website.id}/time-entries`, {
      taskId: task.id,
      date: demo.day(offset),
      hours,
      notes,
    });
  }
  // A project whose client approves the time before it is invoiced (docs/time-approval.md): this week's
  // tastings await Alice's approval in the portal.
  const tasting = await demo.api.post('/projects', {
    customerId: demo.customer(0).id,
    name: 'Spring menu tasting',
    description: 'Recipe trials and tasting sessions for the spring menu',
    billingMethod: 'project_hours',
    rate: 9500,
    requireTimeApproval: true,
  });
  const trials = await demo.api.post(`/projects/${tasting.id}/tasks`, { name: 'Recipe trials' });
  const tastingDays: Array<[number, string, string]> = [
    [-6, '2', 'Croissant dough trials'],
    [-5, '1.5', 'Rhubarb tart, two versions'],
    [-4, '3', 'Tasting session with the team'],
    [-2, '0:45', 'Notes and photos of the favourites'],
    [-1, '1', 'Costing of the final recipes'],
  ];
  for (const [offset, hours, notes] of tastingDays) {
    await demo.api.post(`/projects/${tasting.id}/time-entries`, {
      taskId: trials.id,
      date: demo.day(offset),
      hours,
      notes,
    });
  }
  await demo.comment('projects', website.id, 'The wireframes are ready for your review in the shared folder.');
  await demo.clientComment('project', website.id, alice, 'Thanks! We will go through them on Thursday.', -28);
  await demo.clientReviewed(0, alice, 5, 'Lovely to work with: clear estimates and always on time.', -15);

  // Harbor & Pine Architects: their own, different documents.
  const brochure = await demo.invoice(1, {
    issued: -100,
    lines: [{ name: 'Brochure design', description: '16 pages', quantity: '1', rate: 320000 }],
  });
  await demo.payment(1, { on: -73, allocations: [{ invoice: brochure }], reference: 'Wire HP-2231' });
  await demo.invoice(1, {
    issued: -45,
    lines: [{ name: 'Site photography', description: 'Two completed projects', quantity: '2', rate: 110000 }],
  });
  await demo.invoice(1, {
    issued: -3,
    lines: [{ name: 'Portfolio website, phase 1', quantity: '1', rate: 400000 }],
  });
  await demo.estimate(1, {
    issued: -6,
    lines: [
      { name: 'Portfolio website, phase 2', quantity: '1', rate: 350000 },
      { name: 'Copywriting', quantity: '12', rate: 8500 },
    ],
  });

  // Lumen Dental Group: a paid invoice and a draft.
  const signage = await demo.invoice(2, {
    issued: -60,
    lines: [{ name: 'Clinic signage', quantity: '4', rate: 26000 }],
  });
  await demo.payment(2, { on: -41, allocations: [{ invoice: signage }], mode: 'card' });
  await demo.invoice(2, { issued: -1, lines: [{ name: 'Appointment cards', quantity: '500', rate: 45 }], send: false });
}

async function kobeWorksDocuments(demo: DemoBuilder): Promise<void> {
  const yuki = demo.contact(0, 0);

  // Sakura Tea House (amounts in yen).
  const photos = await demo.invoice(0, {
    issued: -90,
    lines: [{ name: 'Shop interior photography', quantity: '1', rate: 250000 }],
  });
  await demo.payment(0, { on: -68, allocations: [{ invoice: photos }], reference: 'Furikomi 3381' });
  const translation = await demo.invoice(0, {
    issued: -50,
    lines: [{ name: 'Website translation (EN)', description: '8 pages', quantity: '8', rate: 15000 }],
  });
  await demo.clientViewed('invoices', translation.id, yuki, -45);
  const packaging = await demo.invoice(0, {
    issued: -10,
    lines: [
      { name: 'Tea packaging design', quantity: '1', rate: 240000 },
      { name: 'Sample printing', quantity: '20', rate: 3000 },
    ],
  });
  await demo.payment(0, { on: -5, allocations: [{ invoice: packaging, amount: 100000 }] });
  const brochure = await demo.estimate(0, {
    issued: -24,
    lines: [{ name: 'Tea ceremony brochure', quantity: '1', rate: 180000 }],
  });
  await demo.clientDecided(brochure.id, yuki, -20, { status: 'accepted', signatureName: '田中 由紀' });
  await demo.estimate(0, { issued: -5, lines: [{ name: 'Seasonal menu cards', quantity: '200', rate: 350 }] });

  // Minato Logistics.
  const fleet = await demo.invoice(1, {
    issued: -120,
    lines: [{ name: 'Fleet livery design', quantity: '1', rate: 480000 }],
  });
  await demo.payment(1, { on: -95, allocations: [{ invoice: fleet }], reference: 'Furikomi 2290' });
  await demo.invoice(1, { issued: -7, lines: [{ name: 'Warehouse wayfinding signs', quantity: '12', rate: 18000 }] });
  const deposit = await demo.api.post('/retainer-invoices', {
    customerId: demo.customer(1).id,
    issueDate: demo.day(-12),
    lines: [{ description: 'Deposit for the annual report', amount: 200000 }],
  });
  await demo.api.post(`/retainer-invoices/${deposit.id}/send`);
}

// ——— Seeding and describing ———

async function seedOrganization(ctx: AppContext, app: FastifyInstance, definition: DemoOrganization) {
  const [owner, ...others] = definition.users;
  if (!owner) throw new Error(`demo: ${definition.slug} has no owner`);
  const { organizationId } = await createOrganization(ctx, {
    name: definition.name,
    slug: definition.slug,
    baseCurrency: definition.currency,
    timeZone: definition.timeZone,
    locale: definition.locale,
    owner: { email: owner.email, name: owner.name, password: DEMO_PASSWORDS.owner },
  });
  const api = await DemoApi.signIn(app, owner.email, DEMO_PASSWORDS.owner, definition.slug);
  try {
    for (const user of others) {
      await api.post('/users', { email: user.email, name: user.name, role: user.role, password: DEMO_PASSWORDS.staff });
    }
    const tax = await api.post('/taxes', { name: definition.tax.name, rate: definition.tax.rate, isDefault: true });
    // The owner chooses the sandbox, so the demo pays end to end — in test mode, as every screen says. Nothing
    // takes online payments unless its owner chose a gateway; in production the sandbox is not offered at all.
    if (!ctx.config.production) await api.post('/payment-gateways', { kind: 'sandbox' });
    const customers: Array<{ id: string; contactIds: string[] }> = [];
    for (const customer of definition.customers) {
      const { contacts, ...fields } = customer;
      const created = await api.post('/customers', {
        ...fields,
        contactPersons: contacts.map(({ portal: _access, ...contact }, index) => ({
          ...contact,
          isPrimary: index === 0,
        })),
      });
      // In the definition's order (the API lists the primary one first, the others by creation time).
      const contactIds = contacts.map((contact) => {
        const person = created.contactPersons?.find((p) => p.email === contact.email);
        if (!person) throw new Error(`demo: ${contact.email} was not created`);
        return person.id;
      });
      customers.push({ id: created.id, contactIds });
    }
    const today = await organizationToday(ctx, organizationId);
    await definition.documents(new DemoBuilder(ctx, api, organizationId, today, tax.id, customers));
    await openPortal(ctx, app, api, { id: organizationId, slug: definition.slug }, definition, customers);
  } finally {
    await api.signOut();
  }
}

/**
 * Once the books are written, the owner turns the portal on and invites the contacts; the `active` ones accept,
 * as a client would from the e-mail.
 */
async function openPortal(
  ctx: AppContext,
  app: FastifyInstance,
  api: DemoApi,
  organization: { id: string; slug: string },
  definition: DemoOrganization,
  customers: Array<{ id: string; contactIds: string[] }>,
): Promise<void> {
  await api.patch('/portal-settings', { enabled: true, ...definition.portal });
  for (const [customerIndex, customer] of definition.customers.entries()) {
    for (const [contactIndex, contact] of customer.contacts.entries()) {
      if (!contact.portal) continue;
      const customerId = customers[customerIndex]?.id;
      const contactId = customers[customerIndex]?.contactIds[contactIndex];
      if (!customerId || !contactId) throw new Error(`demo: ${contact.email} was not created`);
      await api.post(`/customers/${customerId}/contact-persons/${contactId}/portal-invitation`);
      if (contact.portal === 'active') await acceptPortalInvitation(ctx, app, organization, contact.email);
    }
  }
}

/**
 * Adds each demo organization whose portal name is not taken yet; an existing one is left exactly as it is.
 * Returns the slugs it created.
 */
export async function seedDemo(ctx: AppContext, app: FastifyInstance): Promise<string[]> {
  const created: string[] = [];
  for (const definition of DEMO_ORGANIZATIONS) {
    const existing = await ctx.db.kysely
      .selectFrom('organizations')
      .select('id')
      .where('slug', '=', definition.slug)
      .executeTakeFirst();
    if (existing) continue;
    await seedOrganization(ctx, app, definition);
    created.push(definition.slug);
  }
  return created;
}

export interface DemoSummary {
  organizations: Array<{
    id: string;
    name: string;
    slug: string;
    currency: string;
    portalUrl: string;
    /** Whether the organization's portal is on (the demo turns it on; an owner may turn it off). */
    portalEnabled: boolean;
    backofficeUrl: string;
    users: Array<{ email: string; name: string; password: string; role: string }>;
    customers: Array<{
      id: string;
      name: string;
      contacts: Array<{
        id: string;
        name: string;
        email: string | null;
        /** DEMO_CLIENT_PASSWORD when the person can sign in to the portal, else null. */
        password: string | null;
        /** True when the person can sign in: access accepted (`active`) and the organization's portal on. */
        portalEnabled: boolean;
        /** The back office's portal status: `active`, `invited` (not accepted yet), `none` or `disabled`. */
        portalStatus: PortalStatus;
        showcase?: true;
      }>;
    }>;
  }>;
}

/** The demo organizations present in the database, with their URLs and logins (API.md's `seed --demo --json`). */
export async function demoSummary(ctx: AppContext, baseUrl: URL = ctx.config.publicUrl): Promise<DemoSummary> {
  const db = ctx.db.kysely;
  const summary: DemoSummary = { organizations: [] };
  for (const definition of DEMO_ORGANIZATIONS) {
    const org = await db
      .selectFrom('organizations')
      .select(['id', 'name', 'slug', 'baseCurrency', 'portalEnabled'])
      .where('slug', '=', definition.slug)
      .executeTakeFirst();
    if (!org) continue;
    const users = await db
      .selectFrom('users')
      .select(['email', 'name', 'role'])
      .where('organizationId', '=', org.id)
      .where(
        'email',
        'in',
        definition.users.map((u) => u.email),
      )
      .where('disabledAt', 'is', null)
      .orderBy('createdAt')
      .execute();
    const customers = await db
      .selectFrom('customers')
      .select(['id', 'displayName'])
      .where('organizationId', '=', org.id)
      .where('deletedAt', 'is', null)
      .orderBy('createdAt')
      .orderBy('id')
      .execute();
    const contacts = await db
      .selectFrom('contactPersons')
      .select(['id', 'customerId', 'firstName', 'lastName', 'email', 'portalStatus'])
      .where('organizationId', '=', org.id)
      .where('deletedAt', 'is', null)
      .orderBy('isPrimary', 'desc')
      .orderBy('createdAt')
      .orderBy('id')
      .execute();
    // The definition's order, so the showcase customer comes first even when rows share a creation time.
    const position = (name: string) => {
      const index = definition.customers.findIndex((c) => c.displayName === name);
      return index < 0 ? Number.MAX_SAFE_INTEGER : index;
    };
    customers.sort((a, b) => position(a.displayName) - position(b.displayName));
    summary.organizations.push({
      id: org.id,
      name: org.name,
      slug: org.slug,
      currency: org.baseCurrency,
      portalUrl: new URL(`/portal/${org.slug}/`, baseUrl).toString(),
      portalEnabled: org.portalEnabled === 1,
      backofficeUrl: new URL('/app/', baseUrl).toString(),
      users: users.map((u) => ({
        email: u.email,
        name: u.name,
        password: u.role === 'owner' ? DEMO_PASSWORDS.owner : DEMO_PASSWORDS.staff,
        role: u.role,
      })),
      customers: customers.map((customer) => ({
        id: customer.id,
        name: customer.displayName,
        contacts: contacts
          .filter((c) => c.customerId === customer.id)
          .map((c) => {
            const portalEnabled = org.portalEnabled === 1 && c.portalStatus === 'active';
            return {
              id: c.id,
              name: [c.firstName, c.lastName].filter(Boolean).join(' '),
              email: c.email,
              password: portalEnabled ? DEMO_CLIENT_PASSWORD : null,
              portalEnabled,
              portalStatus: c.portalStatus,
            };
          }),
      })),
    });
  }
  const showcase = summary.organizations[0]?.customers[0]?.contacts[0];
  if (showcase) showcase.showcase = true;
  return summary;
}
