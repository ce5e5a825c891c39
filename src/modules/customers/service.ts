import type { Selectable, Transaction } from 'kysely';
import type { Static } from 'typebox';
import { voidAccessTokens } from '../../auth/access-tokens.js';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { amongIds, containsPattern, idsContaining, organizationIs, textSearch } from '../../db/text-search.js';
import { countryCodeOf } from '../../domain/countries.js';
import { notFound } from '../../domain/errors.js';
import { isLanguage } from '../../domain/languages.js';
import { currencyExponent } from '../../domain/money.js';
import { listPage, textContains } from '../../http/pagination.js';
import type { ContactPersonInput, ContactPersonPatch, CustomerInput, CustomerPatch } from './schemas.js';

type Trx = Transaction<Database>;

function presentContactPerson(row: ContactPersonRow) {
  return {
    id: row.id,
    customerId: row.customerId,
    salutation: row.salutation,
    firstName: row.firstName,
    lastName: row.lastName,
    email: row.email,
    phone: row.phone,
    mobile: row.mobile,
    designation: row.designation,
    language: isLanguage(row.language) ? row.language : null,
    isPrimary: row.isPrimary === 1,
    portalStatus: row.portalStatus,
    portalInvitedAt: row.portalInvitedAt,
    portalActivatedAt: row.portalActivatedAt,
    lastLoginAt: row.lastLoginAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

interface ContactPersonRow {
  id: string;
  customerId: string;
  salutation: string | null;
  firstName: string;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  mobile: string | null;
  designation: string | null;
  language: string | null;
  isPrimary: number;
  portalStatus: 'none' | 'invited' | 'active' | 'disabled';
  portalInvitedAt: string | null;
  portalActivatedAt: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
}

type CustomerRow = Selectable<Database['customers']>;

function presentCustomer(customer: CustomerRow, people: ContactPersonRow[]) {
  const { organizationId: _org, deletedAt: _deleted, billingAddress, shippingAddress, ...fields } = customer;
  return {
    ...fields,
    billingAddress: JSON.parse(billingAddress),
    shippingAddress: JSON.parse(shippingAddress),
    contactPersons: people.filter((p) => p.customerId === customer.id).map(presentContactPerson),
  };
}

async function contactPersonsOf(ctx: AppContext, scope: OrgScope, customerIds: string[]) {
  if (customerIds.length === 0) return [];
  return ctx.db.kysely
    .selectFrom('contactPersons')
    .selectAll()
    .where('customerId', 'in', customerIds)
    .where('organizationId', '=', scope.organizationId)
    .where('deletedAt', 'is', null)
    .orderBy('isPrimary', 'desc')
    .orderBy('createdAt')
    .execute();
}

/** A customer of the scope's organization with its contact persons, or 404 (also for other organizations' ids). */
export async function getCustomer(ctx: AppContext, scope: OrgScope, customerId: string) {
  const customer = await ctx.db.kysely
    .selectFrom('customers')
    .selectAll()
    .where('id', '=', customerId)
    .where('organizationId', '=', scope.organizationId)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  if (!customer) throw notFound('customer');
  return presentCustomer(customer, await contactPersonsOf(ctx, scope, [customerId]));
}

export async function listCustomers(
  ctx: AppContext,
  scope: OrgScope,
  query: { q?: string; limit?: number; cursor?: string },
) {
  // A text the trigram index finds in few customers: those are read by id (`src/db/text-search.ts`).
  const found = query.q
    ? await idsContaining(
        ctx.db.kysely,
        'customers',
        ['display_name', 'company_name', 'email'],
        scope.organizationId,
        query.q,
        textSearch.fewMatches,
      )
    : null;
  let select = ctx.db.kysely
    .selectFrom('customers')
    .selectAll()
    .where(organizationIs('customers.organizationId', scope.organizationId, found !== null))
    .where('deletedAt', 'is', null);
  if (found) select = select.where(amongIds(ctx.db.kysely, 'customers.id', JSON.stringify(found)));
  if (query.q) {
    const pattern = containsPattern(query.q);
    select = select.where((eb) =>
      eb.or([
        textContains('displayName', pattern),
        textContains('companyName', pattern),
        textContains('email', pattern),
      ]),
    );
  }
  // The page's contact persons are read in one query, so the page is presented after it is fetched.
  const page = await listPage(
    select,
    { key: 'displayName', id: 'id', direction: 'asc', keyOf: (row) => row.displayName },
    query,
    (row) => row,
  );
  const people = await contactPersonsOf(
    ctx,
    scope,
    page.data.map((row) => row.id),
  );
  return { data: page.data.map((row) => presentCustomer(row, people)), nextCursor: page.nextCursor };
}

async function insertContactPerson(
  trx: Trx,
  ctx: AppContext,
  scope: OrgScope,
  customerId: string,
  input: Static<typeof ContactPersonInput>,
) {
  const now = ctx.now().toISOString();
  const id = newId('cp');
  if (input.isPrimary) await clearPrimary(trx, scope, customerId);
  await trx
    .insertInto('contactPersons')
    .values({
      id,
      organizationId: scope.organizationId,
      customerId,
      salutation: input.salutation ?? null,
      firstName: input.firstName,
      lastName: input.lastName ?? null,
      email: input.email?.toLowerCase() ?? null,
      phone: input.phone ?? null,
      mobile: input.mobile ?? null,
      designation: input.designation ?? null,
      language: input.language ?? null,
      isPrimary: input.isPrimary ? 1 : 0,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  return id;
}

async function clearPrimary(trx: Trx, scope: OrgScope, customerId: string) {
  await trx
    .updateTable('contactPersons')
    .set({ isPrimary: 0 })
    .where('customerId', '=', customerId)
    .where('organizationId', '=', scope.organizationId)
    .execute();
}

export async function createCustomer(ctx: AppContext, scope: OrgScope, input: Static<typeof CustomerInput>) {
  const org = await ctx.db.kysely
    .selectFrom('organizations')
    .select('baseCurrency')
    .where('id', '=', scope.organizationId)
    .executeTakeFirstOrThrow();
  const currency = input.currency ?? org.baseCurrency;
  currencyExponent(currency);
  const id = newId('cus');
  const now = ctx.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx
      .insertInto('customers')
      .values({
        id,
        organizationId: scope.organizationId,
        displayName: input.displayName,
        companyName: input.companyName ?? null,
        email: input.email?.toLowerCase() ?? null,
        phone: input.phone ?? null,
        website: input.website ?? null,
        currency,
        paymentTermsDays: input.paymentTermsDays ?? null,
        billingAddress: JSON.stringify(input.billingAddress ?? {}),
        shippingAddress: JSON.stringify(input.shippingAddress ?? {}),
        openingBalance: input.openingBalance ?? 0,
        notes: input.notes ?? null,
        countryCode: countryCodeOf(input.countryCode),
        taxId: input.taxId ?? null,
        peppolId: input.peppolId ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    const people = input.contactPersons ?? [];
    const hasPrimary = people.some((p) => p.isPrimary);
    for (const [index, person] of people.entries()) {
      // The first person is the primary one unless the caller chose another.
      await insertContactPerson(trx, ctx, scope, id, {
        ...person,
        isPrimary: person.isPrimary ?? (!hasPrimary && index === 0),
      });
    }
  });
  return getCustomer(ctx, scope, id);
}

export async function updateCustomer(
  ctx: AppContext,
  scope: OrgScope,
  customerId: string,
  patch: Static<typeof CustomerPatch>,
) {
  await getCustomer(ctx, scope, customerId);
  const { billingAddress, shippingAddress, currency, email, countryCode, ...rest } = patch;
  if (currency !== undefined) currencyExponent(currency);
  await ctx.db.kysely
    .updateTable('customers')
    .set({
      ...rest,
      ...(currency !== undefined ? { currency } : {}),
      ...(countryCode !== undefined ? { countryCode: countryCodeOf(countryCode) } : {}),
      ...(email !== undefined ? { email: email?.toLowerCase() ?? null } : {}),
      ...(billingAddress !== undefined ? { billingAddress: JSON.stringify(billingAddress) } : {}),
      ...(shippingAddress !== undefined ? { shippingAddress: JSON.stringify(shippingAddress) } : {}),
      updatedAt: ctx.now().toISOString(),
    })
    .where('id', '=', customerId)
    .where('organizationId', '=', scope.organizationId)
    .execute();
  return getCustomer(ctx, scope, customerId);
}

/**
 * Deleting keeps the row (documents still point at it) but hides it everywhere. Its contact persons are deleted
 * with it: their portal sessions and unused links end at once, and their e-mail addresses are free for others.
 */
export async function deleteCustomer(ctx: AppContext, scope: OrgScope, customerId: string) {
  const customer = await getCustomer(ctx, scope, customerId);
  const now = ctx.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx
      .updateTable('customers')
      .set({ deletedAt: now, updatedAt: now })
      .where('id', '=', customerId)
      .where('organizationId', '=', scope.organizationId)
      .execute();
    for (const person of customer.contactPersons) await removeContactPerson(trx, scope, person.id, now);
  });
}

/** A contact person is deleted (the row stays for the history): sessions and unused links end with them. */
async function removeContactPerson(trx: Trx, scope: OrgScope, contactPersonId: string, now: string) {
  await trx
    .updateTable('contactPersons')
    .set({ deletedAt: now, updatedAt: now, isPrimary: 0 })
    .where('id', '=', contactPersonId)
    .where('organizationId', '=', scope.organizationId)
    .execute();
  await trx.deleteFrom('sessions').where('contactPersonId', '=', contactPersonId).execute();
  await voidAccessTokens(trx, contactPersonId);
}

export async function addContactPerson(
  ctx: AppContext,
  scope: OrgScope,
  customerId: string,
  input: Static<typeof ContactPersonInput>,
) {
  await getCustomer(ctx, scope, customerId);
  const id = await ctx.db.kysely
    .transaction()
    .execute((trx) => insertContactPerson(trx, ctx, scope, customerId, input));
  return contactPersonOf(await getCustomer(ctx, scope, customerId), id);
}

function contactPersonOf(customer: Awaited<ReturnType<typeof getCustomer>>, contactPersonId: string) {
  const person = customer.contactPersons.find((p) => p.id === contactPersonId);
  if (!person) throw notFound('contact person');
  return person;
}

/**
 * Changes a contact person. A new e-mail address voids their unused invitation and password-reset links, in the
 * same transaction: a link sent to the old mailbox must not let its holder in.
 */
export async function updateContactPerson(
  ctx: AppContext,
  scope: OrgScope,
  customerId: string,
  contactPersonId: string,
  patch: Static<typeof ContactPersonPatch>,
) {
  const current = contactPersonOf(await getCustomer(ctx, scope, customerId), contactPersonId);
  const { isPrimary, email, ...rest } = patch;
  const newEmail = email === undefined ? undefined : (email?.toLowerCase() ?? null);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (isPrimary) await clearPrimary(trx, scope, customerId);
    await trx
      .updateTable('contactPersons')
      .set({
        ...rest,
        ...(newEmail !== undefined ? { email: newEmail } : {}),
        ...(isPrimary !== undefined ? { isPrimary: isPrimary ? 1 : 0 } : {}),
        updatedAt: ctx.now().toISOString(),
      })
      .where('id', '=', contactPersonId)
      .where('organizationId', '=', scope.organizationId)
      .execute();
    if (newEmail !== undefined && newEmail !== current.email) await voidAccessTokens(trx, contactPersonId);
  });
  return contactPersonOf(await getCustomer(ctx, scope, customerId), contactPersonId);
}

export async function deleteContactPerson(
  ctx: AppContext,
  scope: OrgScope,
  customerId: string,
  contactPersonId: string,
) {
  contactPersonOf(await getCustomer(ctx, scope, customerId), contactPersonId);
  const now = ctx.now().toISOString();
  await ctx.db.kysely.transaction().execute((trx) => removeContactPerson(trx, scope, contactPersonId, now));
}
