import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { Database } from '../../db/schema.js';
import { formatMoneyPlain } from '../../domain/money.js';
import { clientMessageOf } from '../../domain/payment-errors.js';
import { SERVER_CATALOGUES, type ServerMessageKey, type Words, wordsForContact } from '../../i18n/words.js';
import { enqueueTemplate } from '../../notify/outbox.js';
import { contactName } from '../customers/index.js';

/** The sentence the portal shows for the code (`payError.<code>`), in the reader's words; English for another code. */
function clientMessageIn(words: Words, code: string): string {
  const key = `payError.${code}`;
  return key in SERVER_CATALOGUES.en ? words.t(key as ServerMessageKey) : clientMessageOf(code);
}

/**
 * The client's half of "failures e-mail both sides": when the payment attempt of an automatic charge fails (a
 * decline, CP3001, CP4002, CP1004, authentication_required…), the contact person who authorized the card hears
 * what happened, with the code and a link to pay the invoice in the portal. Called by failAttempt inside its
 * transaction, so the e-mail exists exactly when the failure does; attempts that are not automatic charges
 * find no autopay_charges row and send nothing.
 */
export async function notifyClientOfAutopayFailure(
  ctx: AppContext,
  trx: Transaction<Database>,
  attemptId: string,
  code: string,
): Promise<void> {
  const row = await trx
    .selectFrom('autopayCharges as ac')
    .innerJoin('paymentAttempts as p', 'p.id', 'ac.attemptId')
    .innerJoin('invoices as i', 'i.id', 'ac.invoiceId')
    .innerJoin('autopayCards as card', 'card.id', 'ac.autopayCardId')
    .innerJoin('recurringProfiles as r', 'r.id', 'card.recurringProfileId')
    .innerJoin('contactPersons as cp', 'cp.id', 'card.authorizedByContactPersonId')
    .innerJoin('organizations as o', 'o.id', 'ac.organizationId')
    .select(['ac.invoiceId', 'ac.organizationId', 'i.number', 'p.amount', 'p.currency', 'p.testMode'])
    .select('r.name as profileName')
    .select([
      'cp.firstName',
      'cp.lastName',
      'cp.email',
      'cp.language',
      'o.name as organizationName',
      'o.slug',
      'o.locale',
    ])
    .where('ac.attemptId', '=', attemptId)
    .executeTakeFirst();
  if (!row?.email) return;
  // In the language of the contact who authorized the card; English keeps the plain amount it always showed.
  const words = wordsForContact(row.language, row.locale);
  const payUrl = new URL(`/portal/${row.slug}/invoices/${row.invoiceId}`, ctx.config.publicUrl).toString();
  await enqueueTemplate(trx, ctx.now(), {
    organizationId: row.organizationId,
    to: row.email,
    template: 'autopayFailed',
    data: {
      organizationName: row.organizationName,
      contactName: contactName(row),
      invoiceNumber: row.number,
      profileName: row.profileName,
      amount:
        words.language === 'en'
          ? `${row.currency} ${formatMoneyPlain(row.amount, row.currency)}`
          : words.money(row.amount, row.currency),
      code,
      clientMessage: clientMessageIn(words, code),
      payUrl,
      testMode: row.testMode === 1,
      locale: words.locale,
    },
  });
}
