import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Static } from 'typebox';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { containsPattern } from '../../db/text-search.js';
import { assertDate, type CalendarDate, compareDates, parseDateParts } from '../../domain/dates.js';
import { AppError, invalid, notFound } from '../../domain/errors.js';
import { nextRecurrenceDate, type RecurrenceRule } from '../../domain/recurrence.js';
import { type RecurringAction, recurringMachine } from '../../domain/recurring-states.js';
import { transition } from '../../domain/states.js';
import { listPage, textContains } from '../../http/pagination.js';
import { defaultTerms, documentSettings, priceDocument, resolveLines, termsFrom } from '../documents/index.js';
import { organizationToday } from '../organization/index.js';
import { AUTOPAY_OFF, autopaySummaries } from './autopay-summary.js';
import type { InvoiceTemplate, RecurringProfileInput, RecurringProfilePatch } from './schemas.js';

type Db = Kysely<Database> | Transaction<Database>;
export type RecurringProfileRow = Selectable<Database['recurringProfiles']>;
export type Template = Static<typeof InvoiceTemplate>;

/** The schedule of a profile, as recurrence.ts reads it. */
export const ruleOf = (profile: Pick<RecurringProfileRow, 'frequency' | 'intervalCount' | 'anchorDay'>) =>
  ({
    frequency: profile.frequency,
    every: profile.intervalCount,
    anchorDay: profile.anchorDay,
  }) satisfies RecurrenceRule;

/** The first date of the schedule on or after `today`, stepping from `from`. */
export function firstDateFrom(from: CalendarDate, rule: RecurrenceRule, today: CalendarDate): CalendarDate {
  let date = from;
  while (compareDates(date, today) < 0) date = nextRecurrenceDate(date, rule);
  return date;
}

/** Past its end date, a schedule is over: the profile expires and has no next date. */
export const isPastEnd = (nextDate: CalendarDate | null, endDate: CalendarDate | null) =>
  nextDate !== null && endDate !== null && compareDates(nextDate, endDate) > 0;

const dayOf = (date: CalendarDate) => parseDateParts(date)?.day ?? 1;

function profilesWithCustomer(db: Db, scope: OrgScope) {
  return db
    .selectFrom('recurringProfiles')
    .innerJoin('customers', 'customers.id', 'recurringProfiles.customerId')
    .selectAll('recurringProfiles')
    .select('customers.displayName as customerName')
    .where('recurringProfiles.organizationId', '=', scope.organizationId)
    .where('recurringProfiles.deletedAt', 'is', null);
}

function presentProfile(
  row: RecurringProfileRow & { customerName: string },
  autopay: Awaited<ReturnType<typeof autopaySummaries>>,
) {
  const { organizationId: _org, deletedAt: _deleted, template, sendAutomatically, ...fields } = row;
  return {
    ...fields,
    sendAutomatically: sendAutomatically === 1,
    template: JSON.parse(template) as Template,
    autopay: autopay.get(row.id) ?? AUTOPAY_OFF,
  };
}

async function loadProfile(ctx: AppContext, scope: OrgScope, profileId: string) {
  const row = await profilesWithCustomer(ctx.db.kysely, scope)
    .where('recurringProfiles.id', '=', profileId)
    .executeTakeFirst();
  if (!row) throw notFound('recurring profile');
  return row;
}

export async function getRecurringProfile(ctx: AppContext, scope: OrgScope, profileId: string) {
  const profile = await loadProfile(ctx, scope, profileId);
  const generated = ctx.db.kysely
    .selectFrom('invoices')
    .where('recurringProfileId', '=', profileId)
    .where('organizationId', '=', scope.organizationId);
  const invoices = await generated
    .select(['id', 'number', 'status', 'issueDate', 'dueDate', 'total', 'balance'])
    .orderBy('issueDate', 'desc')
    .orderBy('id', 'desc')
    .limit(100)
    .execute();
  const count = await generated.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  const autopay = await autopaySummaries(ctx.db.kysely, scope.organizationId, [profile.id]);
  return { ...presentProfile(profile, autopay), invoiceCount: Number(count.count), invoices };
}

export async function listRecurringProfiles(
  ctx: AppContext,
  scope: OrgScope,
  query: {
    customerId?: string;
    status?: RecurringProfileRow['status'];
    q?: string;
    limit?: number;
    cursor?: string;
  },
) {
  let select = profilesWithCustomer(ctx.db.kysely, scope);
  if (query.customerId) select = select.where('recurringProfiles.customerId', '=', query.customerId);
  if (query.status) select = select.where('recurringProfiles.status', '=', query.status);
  if (query.q) select = select.where(textContains('recurringProfiles.name', containsPattern(query.q)));
  // The page's autopay is read in one query, so the page is presented after it is fetched.
  const page = await listPage(
    select,
    { key: 'recurringProfiles.name', id: 'recurringProfiles.id', direction: 'asc', keyOf: (row) => row.name },
    query,
    (row) => row,
  );
  const autopay = await autopaySummaries(
    ctx.db.kysely,
    scope.organizationId,
    page.data.map((row) => row.id),
  );
  return { data: page.data.map((row) => presentProfile(row, autopay)), nextCursor: page.nextCursor };
}

/**
 * Prices the template as an invoice would be priced (the organization's taxes, document-math's rules), so a
 * profile never fails later, unattended, on input that could have been refused now.
 */
async function checkTemplate(ctx: AppContext, scope: OrgScope, template: Template) {
  try {
    const settings = await documentSettings(ctx.db.kysely, scope.organizationId);
    const lines = await resolveLines(ctx.db.kysely, scope, template.lines);
    priceDocument(scope.organizationId, 'template', lines, termsFrom(template, defaultTerms(settings.taxRounding)));
  } catch (error) {
    if (error instanceof AppError && error.code === 'validation_failed') {
      const errors = error.errors.map((e) => ({ ...e, path: `/template${e.path}` }));
      throw new AppError('validation_failed', error.message, errors);
    }
    throw error;
  }
}

function checkDates(startDate: CalendarDate, endDate: CalendarDate | null | undefined) {
  assertDate(startDate, '/startDate');
  if (endDate === null || endDate === undefined) return;
  assertDate(endDate, '/endDate');
  if (compareDates(endDate, startDate) < 0) throw invalid('/endDate', 'Must not be before the start date.');
}

export async function createRecurringProfile(
  ctx: AppContext,
  scope: OrgScope,
  input: Static<typeof RecurringProfileInput>,
) {
  const customer = await ctx.db.kysely
    .selectFrom('customers')
    .innerJoin('organizations', 'organizations.id', 'customers.organizationId')
    .select([
      'customers.id',
      'customers.currency',
      'customers.paymentTermsDays',
      'organizations.paymentTermsDays as organizationTerms',
    ])
    .where('customers.id', '=', input.customerId)
    .where('customers.organizationId', '=', scope.organizationId)
    .where('customers.deletedAt', 'is', null)
    .executeTakeFirst();
  if (!customer) throw invalid('/customerId', 'No such customer.');
  checkDates(input.startDate, input.endDate);
  await checkTemplate(ctx, scope, input.template);
  const id = newId('rec');
  const now = ctx.now().toISOString();
  await ctx.db.kysely
    .insertInto('recurringProfiles')
    .values({
      id,
      organizationId: scope.organizationId,
      customerId: customer.id,
      name: input.name,
      status: 'active',
      frequency: input.frequency,
      intervalCount: input.intervalCount ?? 1,
      startDate: input.startDate,
      endDate: input.endDate ?? null,
      nextDate: input.startDate,
      anchorDay: dayOf(input.startDate),
      currency: customer.currency,
      paymentTermsDays: input.paymentTermsDays ?? customer.paymentTermsDays ?? customer.organizationTerms,
      sendAutomatically: input.sendAutomatically === false ? 0 : 1,
      template: JSON.stringify(input.template),
      lastInvoiceId: null,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  return getRecurringProfile(ctx, scope, id);
}

export async function updateRecurringProfile(
  ctx: AppContext,
  scope: OrgScope,
  profileId: string,
  patch: Static<typeof RecurringProfilePatch>,
) {
  const profile = await loadProfile(ctx, scope, profileId);
  if (profile.status === 'expired') {
    throw new AppError('conflict', 'This recurring profile has expired: create a new one instead.');
  }
  const startDate = patch.startDate ?? profile.startDate;
  const endDate = patch.endDate === undefined ? profile.endDate : patch.endDate;
  checkDates(startDate, endDate);
  const restarts = patch.startDate !== undefined && patch.startDate !== profile.startDate;
  if (restarts && profile.lastInvoiceId !== null) {
    throw new AppError('conflict', 'This profile has already produced invoices: its start date can no longer change.');
  }
  if (patch.template) await checkTemplate(ctx, scope, patch.template);
  const nextDate = restarts ? startDate : profile.nextDate;
  // A new end date before the next invoice finishes the schedule now rather than at the next run.
  const expires = profile.status === 'active' && isPastEnd(nextDate, endDate);
  const { template, sendAutomatically, ...rest } = patch;
  const result = await ctx.db.kysely
    .updateTable('recurringProfiles')
    .set({
      ...rest,
      ...(template !== undefined ? { template: JSON.stringify(template) } : {}),
      ...(sendAutomatically !== undefined ? { sendAutomatically: sendAutomatically ? 1 : 0 } : {}),
      ...(restarts ? { anchorDay: dayOf(startDate) } : {}),
      ...(expires ? { status: transition(recurringMachine, profile.status, 'expire'), nextDate: null } : { nextDate }),
      updatedAt: ctx.now().toISOString(),
    })
    .where('id', '=', profileId)
    .where('organizationId', '=', scope.organizationId)
    // The scheduler may have moved the schedule on since it was read; start over against the fresh row.
    .where((eb) => (profile.nextDate === null ? eb('nextDate', 'is', null) : eb('nextDate', '=', profile.nextDate)))
    .where('status', '=', profile.status)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return updateRecurringProfile(ctx, scope, profileId, patch);
  return getRecurringProfile(ctx, scope, profileId);
}

/** Hidden everywhere, but kept: its invoices and a card authorized for it still point at it. */
export async function deleteRecurringProfile(ctx: AppContext, scope: OrgScope, profileId: string) {
  await loadProfile(ctx, scope, profileId);
  const now = ctx.now().toISOString();
  await ctx.db.kysely
    .updateTable('recurringProfiles')
    .set({ deletedAt: now, updatedAt: now })
    .where('id', '=', profileId)
    .where('organizationId', '=', scope.organizationId)
    .execute();
}

/**
 * Stop keeps the schedule where it is. Resume picks it up at the first date on or after today: the periods
 * missed while stopped are not invoiced; past the end date, the profile expires at once.
 */
export async function changeRecurringStatus(
  ctx: AppContext,
  scope: OrgScope,
  profileId: string,
  action: Extract<RecurringAction, 'stop' | 'resume'>,
) {
  const profile = await loadProfile(ctx, scope, profileId);
  let status = transition(recurringMachine, profile.status, action);
  let nextDate = profile.nextDate;
  if (action === 'resume' && nextDate !== null) {
    nextDate = firstDateFrom(nextDate, ruleOf(profile), await organizationToday(ctx, scope.organizationId));
    if (isPastEnd(nextDate, profile.endDate)) {
      status = transition(recurringMachine, status, 'expire');
      nextDate = null;
    }
  }
  const result = await ctx.db.kysely
    .updateTable('recurringProfiles')
    .set({ status, nextDate, updatedAt: ctx.now().toISOString() })
    .where('id', '=', profileId)
    .where('organizationId', '=', scope.organizationId)
    .where('status', '=', profile.status)
    .where((eb) => (profile.nextDate === null ? eb('nextDate', 'is', null) : eb('nextDate', '=', profile.nextDate)))
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return changeRecurringStatus(ctx, scope, profileId, action);
  return getRecurringProfile(ctx, scope, profileId);
}
