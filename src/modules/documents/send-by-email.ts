import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { invalidTransition, notFound } from '../../domain/errors.js';
import { type Words, wordsForContact } from '../../i18n/words.js';
import { enqueueTemplate } from '../../notify/outbox.js';
import { actorOf, recordHistory } from '../activity/index.js';
import { contactName } from '../customers/index.js';
import { renderDocumentPdf } from './pdf.js';

export type SentDocumentKind = 'estimate' | 'invoice';

interface SentDocument {
  customerId: string;
  /** The document's name and facts in a reader's words: "Rechnung INV-00042", "Fälligkeitsdatum 31. März 2026". */
  inWords: (words: Words) => { label: string; facts: Array<{ label: string; value: string }> };
}

async function documentFacts(ctx: AppContext, scope: OrgScope, kind: SentDocumentKind, id: string) {
  const db = ctx.db.kysely;
  if (kind === 'estimate') {
    const row = await db
      .selectFrom('estimates')
      .select(['customerId', 'number', 'currency', 'total', 'expiryDate'])
      .where('id', '=', id)
      .where('organizationId', '=', scope.organizationId)
      .executeTakeFirst();
    if (!row) throw notFound('estimate');
    const { expiryDate } = row;
    return {
      customerId: row.customerId,
      inWords: ({ t, money, longDate }) => ({
        label: t('document.estimate', { number: row.number }),
        facts: [
          { label: t('documentSent.total'), value: money(row.total, row.currency) },
          ...(expiryDate ? [{ label: t('documentSent.validUntil'), value: longDate(expiryDate) }] : []),
        ],
      }),
    } satisfies SentDocument;
  }
  const row = await db
    .selectFrom('invoices')
    .select(['customerId', 'number', 'currency', 'balance', 'dueDate'])
    .where('id', '=', id)
    .where('organizationId', '=', scope.organizationId)
    .executeTakeFirst();
  if (!row) throw notFound('invoice');
  return {
    customerId: row.customerId,
    inWords: ({ t, money, longDate }) => ({
      label: t('document.invoice', { number: row.number }),
      facts: [
        { label: t('documentSent.amountDue'), value: money(row.balance, row.currency) },
        { label: t('documentSent.dueDate'), value: longDate(row.dueDate) },
      ],
    }),
  } satisfies SentDocument;
}

/**
 * Who a sent document is e-mailed to: the customer's contact persons with an e-mail address who have portal
 * access (invited or active), and the primary contact person.
 */
export async function documentRecipients(ctx: AppContext, organizationId: string, customerId: string) {
  return ctx.db.kysely
    .selectFrom('contactPersons')
    .select(['firstName', 'lastName', 'email', 'language'])
    .where('organizationId', '=', organizationId)
    .where('customerId', '=', customerId)
    .where('deletedAt', 'is', null)
    .where('email', 'is not', null)
    .where((eb) => eb.or([eb('portalStatus', 'in', ['invited', 'active']), eb('isPrimary', '=', 1)]))
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}

/** The people a document would be e-mailed to by "Send", read before it is sent (for its history entry). */
export async function sentDocumentRecipients(
  ctx: AppContext,
  scope: OrgScope,
  kind: SentDocumentKind,
  documentId: string,
) {
  const document = await documentFacts(ctx, scope, kind, documentId);
  return documentRecipients(ctx, scope.organizationId, document.customerId);
}

/**
 * "Send again" of a document sent before: its history entry (to whom it is e-mailed again; its status stays).
 * With no one to e-mail, 409 and nothing written.
 */
export async function recordSentAgain(
  ctx: AppContext,
  scope: OrgScope,
  kind: SentDocumentKind,
  documentId: string,
  recipients: Array<{ email: string | null }>,
): Promise<void> {
  const what = kind === 'estimate' ? 'Estimate' : 'Invoice';
  const addresses = recipients.flatMap((person) => (person.email ? [person.email] : []));
  if (addresses.length === 0) {
    throw invalidTransition(
      `This ${kind} cannot be e-mailed: the customer has no contact person with an e-mail address.`,
    );
  }
  await recordHistory(ctx.db.kysely, {
    organizationId: scope.organizationId,
    subjectType: kind,
    subjectId: documentId,
    event: 'sent',
    description: `${what} e-mailed again to ${addresses.join(', ')}`,
    ...actorOf(scope),
    createdAt: ctx.now().toISOString(),
  });
}

/** The words of the history entry of "Send": to whom it was e-mailed, or why it was not. */
export function sentDescription(what: string, recipients: Array<{ email: string | null }>): string {
  const addresses = recipients.flatMap((person) => (person.email ? [person.email] : []));
  return addresses.length > 0
    ? `${what} sent by e-mail to ${addresses.join(', ')}`
    : `${what} marked as sent; not e-mailed: the customer has no contact person with an e-mail address`;
}

/**
 * E-mails an issued estimate or invoice, its PDF attached and a link to it in the client portal, to the given
 * recipients, through the outbox. Called after the document was marked sent, so the PDF shows its sent state.
 * Each recipient reads the e-mail and the PDF in their language (their choice, else the organization's locale).
 * An invoice's e-invoice, when the organization attaches one, rides along: XML beside the PDF, a Factur-X PDF in
 * its place (it is the invoice PDF with the XML inside, drawn in the organization's language).
 */
export async function emailSentDocument(
  ctx: AppContext,
  scope: OrgScope,
  kind: SentDocumentKind,
  documentId: string,
  recipients: Array<{ firstName: string; lastName: string | null; email: string | null; language: string | null }>,
  eInvoice?: { filename: string; contentType: string; body: Buffer },
): Promise<void> {
  if (!recipients.some((person) => person.email)) return;
  const document = await documentFacts(ctx, scope, kind, documentId);
  const organization = await ctx.db.kysely
    .selectFrom('organizations')
    .select(['name', 'slug', 'portalEnabled', 'locale'])
    .where('id', '=', scope.organizationId)
    .executeTakeFirstOrThrow();
  const attachmentOf = (filename: string, contentType: string, body: Buffer) => ({
    filename,
    contentType,
    contentBase64: body.toString('base64'),
  });
  const facturX = eInvoice?.contentType === 'application/pdf' ? eInvoice : null;
  const xml = eInvoice && !facturX ? eInvoice : null;
  // One PDF per language among the recipients, drawn before the transaction (none when Factur-X replaces it).
  const pdfs = new Map<string, { filename: string; pdf: Buffer }>();
  for (const person of recipients) {
    const { locale } = wordsForContact(person.language, organization.locale);
    if (facturX || !person.email || pdfs.has(locale)) continue;
    pdfs.set(locale, await renderDocumentPdf(ctx, scope.organizationId, kind, documentId, person.language));
  }
  const segment = kind === 'estimate' ? 'estimates' : 'invoices';
  const portalUrl =
    organization.portalEnabled === 1
      ? new URL(
          `/portal/${encodeURIComponent(organization.slug)}/${segment}/${encodeURIComponent(documentId)}`,
          ctx.config.publicUrl,
        ).toString()
      : null;
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const now = ctx.now();
    for (const person of recipients) {
      if (!person.email) continue;
      const words = wordsForContact(person.language, organization.locale);
      const rendered = pdfs.get(words.locale);
      const pdf = facturX
        ? attachmentOf(facturX.filename, facturX.contentType, facturX.body)
        : rendered
          ? attachmentOf(rendered.filename, 'application/pdf', rendered.pdf)
          : null;
      if (!pdf) continue;
      const { label, facts } = document.inWords(words);
      await enqueueTemplate(trx, now, {
        organizationId: scope.organizationId,
        to: person.email,
        template: 'documentSent',
        data: {
          organizationName: organization.name,
          contactName: contactName(person),
          documentLabel: label,
          facts,
          portalUrl,
          attachmentName: pdf.filename,
          locale: words.locale,
        },
        attachments: xml ? [pdf, attachmentOf(xml.filename, xml.contentType, xml.body)] : [pdf],
      });
    }
  });
}
