import type { OrgScope } from '../auth/scopes.js';
import type { AppContext } from '../context.js';
import { addDays, compareDates } from '../domain/dates.js';
import { nextRecurrenceDate } from '../domain/recurrence.js';
import { recurringMachine } from '../domain/recurring-states.js';
import { transition } from '../domain/states.js';
import { defaultTerms, documentSettings, resolveLines, termsFrom } from '../modules/documents/index.js';
import { insertInvoice, latestToday, sendInvoice } from '../modules/invoices/index.js';
import { organizationToday } from '../modules/organization/index.js';
import { isPastEnd, type RecurringProfileRow, ruleOf, type Template } from '../modules/recurring-profiles/index.js';

export interface RecurringRunResult {
  /** Ids of the invoices created, in the order they were created. */
  invoiceIds: string[];
  /** Ids of the profiles that reached their end date. */
  expiredProfileIds: string[];
  /** Ids of the profiles stopped because their customer was deleted. */
  stoppedProfileIds: string[];
  /** Profiles that could not produce their invoice this run (they are tried again next run). */
  failures: Array<{ profileId: string; error: unknown }>;
}

/** The job acts for the organization itself, as no one in particular. */
const systemScope = (organizationId: string): OrgScope => ({
  organizationId,
  userId: null,
  role: 'owner',
  via: 'system',
});

async function activeProfile(ctx: AppContext, profileId: string) {
  return ctx.db.kysely
    .selectFrom('recurringProfiles')
    .selectAll()
    .where('id', '=', profileId)
    .where('status', '=', 'active')
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
}

/**
 * The profile's next date past its end date: expires it (compare-and-set on the next date, so a concurrent run
 * that already moved the schedule wins).
 */
async function expire(ctx: AppContext, profile: RecurringProfileRow): Promise<boolean> {
  const result = await ctx.db.kysely
    .updateTable('recurringProfiles')
    .set({
      status: transition(recurringMachine, profile.status, 'expire'),
      nextDate: null,
      updatedAt: ctx.now().toISOString(),
    })
    .where('id', '=', profile.id)
    .where('status', '=', 'active')
    .where('nextDate', '=', profile.nextDate)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

async function customerDeleted(ctx: AppContext, profile: RecurringProfileRow): Promise<boolean> {
  const customer = await ctx.db.kysely
    .selectFrom('customers')
    .select('deletedAt')
    .where('id', '=', profile.customerId)
    .where('organizationId', '=', profile.organizationId)
    .executeTakeFirst();
  return customer?.deletedAt !== null;
}

/** A deleted customer is billed no more: the profile stops (and could be resumed if that was a mistake). */
async function stop(ctx: AppContext, profile: RecurringProfileRow): Promise<boolean> {
  const result = await ctx.db.kysely
    .updateTable('recurringProfiles')
    .set({ status: transition(recurringMachine, profile.status, 'stop'), updatedAt: ctx.now().toISOString() })
    .where('id', '=', profile.id)
    .where('status', '=', 'active')
    .where('nextDate', '=', profile.nextDate)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Invoices the period dated `issueDate` and moves the schedule to the next one (or expires the profile when that
 * falls after its end date), in one transaction. The period is claimed first, by an UPDATE that only matches
 * while the profile is still active at that date (compare-and-set): on PostgreSQL a concurrent run blocks on the
 * row lock and, once this one commits, finds the date moved and claims nothing. The invoice is made from the
 * claimed row, so an edit saved just before is honoured. If anything fails, the claim rolls back with the invoice
 * and the period is tried again next run. Returns null when another run got there first.
 */
async function invoicePeriod(ctx: AppContext, profileId: string, issueDate: string) {
  const now = ctx.now().toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const profile = await trx
      .updateTable('recurringProfiles')
      .set({ updatedAt: now })
      .where('id', '=', profileId)
      .where('status', '=', 'active')
      .where('deletedAt', 'is', null)
      .where('nextDate', '=', issueDate)
      .returningAll()
      .executeTakeFirst();
    if (!profile) return null;
    const following = nextRecurrenceDate(issueDate, ruleOf(profile));
    const expires = isPastEnd(following, profile.endDate);

    const scope = systemScope(profile.organizationId);
    const template = JSON.parse(profile.template) as Template;
    const settings = await documentSettings(trx, profile.organizationId);
    const invoiceId = await insertInvoice(ctx, trx, scope, {
      customerId: profile.customerId,
      currency: profile.currency,
      reference: null,
      issueDate,
      dueDate: addDays(issueDate, profile.paymentTermsDays),
      subject: null,
      notes: template.notes ?? null,
      terms: template.terms ?? null,
      allowPartialPayments: true,
      lines: await resolveLines(trx, scope, template.lines),
      pricing: termsFrom(template, defaultTerms(settings.taxRounding)),
      estimateId: null,
      recurringProfileId: profile.id,
      description: `Invoice created by the recurring profile "${profile.name}"`,
    });
    await trx
      .updateTable('recurringProfiles')
      .set({
        nextDate: expires ? null : following,
        status: expires ? transition(recurringMachine, profile.status, 'expire') : profile.status,
        lastInvoiceId: invoiceId,
      })
      .where('id', '=', profile.id)
      .execute();
    return { invoiceId, expired: expires, sendAutomatically: profile.sendAutomatically === 1 };
  });
}

/**
 * Creates the invoices recurring profiles owe: for every active profile whose next date has come in its
 * organization's time zone, one invoice per period, catching up on every period missed while the job did not
 * run (issue date = the period's date, due date = + the profile's payment terms), sent at once when the profile
 * says so. Safe to run from several workers at the same time: each period is claimed before it is invoiced.
 */
export async function generateRecurringInvoices(ctx: AppContext): Promise<RecurringRunResult> {
  const result: RecurringRunResult = { invoiceIds: [], expiredProfileIds: [], stoppedProfileIds: [], failures: [] };
  const candidates = await ctx.db.kysely
    .selectFrom('recurringProfiles')
    .select(['id', 'organizationId'])
    .where('status', '=', 'active')
    .where('deletedAt', 'is', null)
    .where('nextDate', '<=', latestToday(ctx.now()))
    .orderBy('nextDate')
    .orderBy('id')
    .execute();
  const todayOf = new Map<string, string>();

  for (const candidate of candidates) {
    try {
      let today = todayOf.get(candidate.organizationId);
      if (today === undefined) {
        today = await organizationToday(ctx, candidate.organizationId);
        todayOf.set(candidate.organizationId, today);
      }
      for (;;) {
        const profile = await activeProfile(ctx, candidate.id);
        if (!profile?.nextDate || compareDates(profile.nextDate, today) > 0) break;
        if (isPastEnd(profile.nextDate, profile.endDate)) {
          if (await expire(ctx, profile)) result.expiredProfileIds.push(profile.id);
          continue;
        }
        if (await customerDeleted(ctx, profile)) {
          if (await stop(ctx, profile)) result.stoppedProfileIds.push(profile.id);
          continue;
        }
        const created = await invoicePeriod(ctx, profile.id, profile.nextDate);
        // Null: a concurrent run took this period; the loop re-reads the profile and goes on from there.
        if (!created) continue;
        result.invoiceIds.push(created.invoiceId);
        if (created.expired) result.expiredProfileIds.push(profile.id);
        if (created.sendAutomatically) {
          await sendInvoice(ctx, systemScope(profile.organizationId), created.invoiceId);
        }
      }
    } catch (error) {
      result.failures.push({ profileId: candidate.id, error });
    }
  }
  return result;
}
