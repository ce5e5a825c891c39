import type { Static } from 'typebox';
import { assertClientActionAllowed, countClientAction } from '../../auth/action-limits.js';
import type { PortalScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { newId } from '../../db/ids.js';
import { AppError, invalid, notFound } from '../../domain/errors.js';
import { type Words, wordsFor } from '../../i18n/words.js';
import { enqueueTemplate } from '../../notify/outbox.js';
import { recordHistory } from '../activity/index.js';
import { contactEmailLocale, contactLanguage, contactName } from '../customers/index.js';
import { renderDocumentPdf, visibleToCustomer } from '../documents/index.js';
import { notifyBusinessOfPortalActivity } from '../portal-notifications/index.js';
import { loadPortalSettings } from '../portal-settings/index.js';
import type { ForwardInput } from './schemas.js';

/**
 * A client forwards one of their estimates or invoices by e-mail (PRODUCT.md §3, "Other actions"): the recipient
 * gets the PDF and becomes a contact person of the customer, without portal access until the business invites
 * them. Only when the organization allows forwarding, and only for what the client can see in the portal.
 */

export type ForwardKind = 'estimate' | 'invoice';

type Db = Parameters<typeof recordHistory>[0];

interface ForwardedDocument {
  number: string;
  facts: Array<{ label: string; value: string }>;
}

/** The document as the portal shows it: drafts, another customer's and unknown ids are the same 404. */
async function findDocument(
  db: Db,
  scope: PortalScope,
  kind: ForwardKind,
  documentId: string,
  words: Words,
): Promise<ForwardedDocument> {
  const { t } = words;
  if (kind === 'estimate') {
    const row = await db
      .selectFrom('estimates')
      .select(['number', 'status', 'currency', 'total', 'issueDate', 'expiryDate'])
      .where('id', '=', documentId)
      .where(visibleToCustomer(scope))
      .executeTakeFirst();
    if (!row) throw notFound('estimate');
    return {
      number: row.number,
      facts: [
        { label: t('documentSent.total'), value: words.money(row.total, row.currency) },
        { label: t('pdf.estimateDate'), value: words.longDate(row.issueDate) },
        ...(row.expiryDate ? [{ label: t('documentSent.validUntil'), value: words.longDate(row.expiryDate) }] : []),
      ],
    };
  }
  const row = await db
    .selectFrom('invoices')
    .select(['number', 'status', 'currency', 'total', 'balance', 'issueDate', 'dueDate'])
    .where('id', '=', documentId)
    .where(visibleToCustomer(scope))
    .executeTakeFirst();
  if (!row) throw notFound('invoice');
  return {
    number: row.number,
    facts:
      row.status === 'void'
        ? [
            { label: t('documentSent.total'), value: words.money(row.total, row.currency) },
            { label: t('pdf.status'), value: t('status.void') },
          ]
        : [
            { label: t('documentSent.total'), value: words.money(row.total, row.currency) },
            { label: t('pdf.balanceDue'), value: words.money(row.balance, row.currency) },
            { label: t('documentSent.dueDate'), value: words.longDate(row.dueDate) },
          ],
  };
}

/**
 * Who the recipient is to the business. A contact person of this customer with the address (any case) is the
 * recipient already; an address of a contact person of another customer is sent to but not copied under this
 * customer (one person, one identity per organization: the business decides where they belong); otherwise the
 * recipient is added to the customer, with no portal access.
 */
async function recipientContactPerson(
  trx: Db,
  scope: PortalScope,
  email: string,
  now: string,
): Promise<'existing' | 'other_customer' | 'created'> {
  const known = await trx
    .selectFrom('contactPersons as cp')
    .innerJoin('customers as c', 'c.id', 'cp.customerId')
    .select(['cp.customerId'])
    .where('cp.organizationId', '=', scope.organizationId)
    .where('c.organizationId', '=', scope.organizationId)
    .where((eb) => eb(eb.fn('lower', ['cp.email']), '=', email))
    .where('cp.deletedAt', 'is', null)
    .where('c.deletedAt', 'is', null)
    .execute();
  if (known.some((person) => person.customerId === scope.customerId)) return 'existing';
  if (known.length > 0) return 'other_customer';
  await trx
    .insertInto('contactPersons')
    .values({
      id: newId('cp'),
      organizationId: scope.organizationId,
      customerId: scope.customerId,
      salutation: null,
      // All we know of them; the business can name them properly later.
      firstName: email.slice(0, email.indexOf('@')).slice(0, 200),
      lastName: null,
      email,
      phone: null,
      mobile: null,
      designation: null,
      isPrimary: 0,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  return 'created';
}

const SINGLE_ADDRESS = /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+\.[^\s@<>,;:"()[\]\\]+$/;

export async function forwardDocument(
  ctx: AppContext,
  scope: PortalScope,
  kind: ForwardKind,
  documentId: string,
  input: Static<typeof ForwardInput>,
  ip: string,
): Promise<{ forwardedTo: string; message: string }> {
  const settings = await loadPortalSettings(ctx.db.kysely, scope.organizationId);
  if (!settings.allowForwarding) {
    throw new AppError('forbidden', 'Forwarding documents is not available on this portal: ask the business.');
  }
  const email = input.email.trim().toLowerCase();
  // The schema checked it already; this keeps the service safe whoever calls it.
  if (!SINGLE_ADDRESS.test(email) || email.length > 254) throw invalid('/email', 'must be one plain e-mail address');
  const message = input.message?.trim() ? input.message.trim() : null;

  // In the forwarding contact's language: they chose what their colleague receives (e-mail and PDF).
  const language = await contactLanguage(ctx.db.kysely, scope.organizationId, scope.contactPersonId);
  const words = wordsFor(await contactEmailLocale(ctx.db.kysely, scope.organizationId, scope.contactPersonId));
  const document = await findDocument(ctx.db.kysely, scope, kind, documentId, words);
  // A cheap look before the PDF is drawn; the forward is counted, in the transaction, before anything is written.
  await assertClientActionAllowed(ctx, ctx.db.kysely, scope, 'forward');
  const { filename, pdf } = await renderDocumentPdf(ctx, scope.organizationId, kind, documentId, language);

  await ctx.db.kysely.transaction().execute(async (trx) => {
    const now = ctx.now();
    const at = now.toISOString();
    // The forwarding budgets (`auth/action-limits.ts`): a contact person's and the organization's.
    await countClientAction(ctx, trx, scope, 'forward');
    const sender = await trx
      .selectFrom('contactPersons as cp')
      .innerJoin('customers as c', 'c.id', 'cp.customerId')
      .innerJoin('organizations as o', 'o.id', 'cp.organizationId')
      .select(['cp.firstName', 'cp.lastName', 'cp.email', 'c.displayName', 'o.name as organizationName'])
      .where('cp.id', '=', scope.contactPersonId)
      .where('cp.organizationId', '=', scope.organizationId)
      .where('c.id', '=', scope.customerId)
      .executeTakeFirstOrThrow();
    const senderName = contactName(sender);
    const recipient = await recipientContactPerson(trx, scope, email, at);
    const documentLabel = words.t(`forwarded.${kind}`, { number: document.number });

    await enqueueTemplate(trx, now, {
      organizationId: scope.organizationId,
      to: email,
      template: 'documentForwarded',
      data: {
        organizationName: sender.organizationName,
        senderName,
        customerName: sender.displayName,
        documentLabel,
        facts: document.facts,
        message,
        attachmentName: filename,
        locale: words.locale,
      },
      attachments: [{ filename, contentType: 'application/pdf', contentBase64: pdf.toString('base64') }],
    });
    await recordHistory(trx, {
      organizationId: scope.organizationId,
      subjectType: kind,
      subjectId: documentId,
      event: 'forwarded',
      description: `Forwarded from the portal to ${email}`,
      actorType: 'contact_person',
      actorId: scope.contactPersonId,
      ip,
      shownInPortal: false,
      createdAt: at,
    });
    await notifyBusinessOfPortalActivity(trx, ctx, scope, {
      event: 'forwarded',
      target: { kind, id: documentId, label: document.number },
      detail: [
        `To: ${email}`,
        recipient === 'created' ? `Added as a contact person of ${sender.displayName}, without portal access.` : null,
        recipient === 'other_customer' ? 'This address belongs to a contact person of another customer.' : null,
      ]
        .filter(Boolean)
        .join('\n'),
    });
  });
  return { forwardedTo: email, message: `The ${kind} is on its way to ${email}.` };
}
