import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { Database } from '../../db/schema.js';
import { wordsForContact } from '../../i18n/words.js';
import { enqueueTemplate } from '../../notify/outbox.js';
import { contactName } from '../customers/index.js';

type Db = Kysely<Database> | Transaction<Database>;

/** What was commented on, as the activity module describes it: its table, its portal path and its name. */
export interface CommentedSubject {
  table: 'estimates' | 'invoices' | 'retainerInvoices' | 'projects';
  segment: string;
  what: string;
}

/** The thing commented on, as the customer's contact persons know it; null when the portal does not show it. */
async function portalSubjectOf(db: Db, organizationId: string, subject: CommentedSubject, subjectId: string) {
  if (subject.table === 'projects') {
    const project = await db
      .selectFrom('projects')
      .select(['customerId', 'name'])
      .where('id', '=', subjectId)
      .where('organizationId', '=', organizationId)
      .executeTakeFirst();
    return project ? { customerId: project.customerId, name: project.name } : null;
  }
  const document = await db
    .selectFrom(subject.table)
    .select(['customerId', 'number'])
    .where('id', '=', subjectId)
    .where('organizationId', '=', organizationId)
    // A draft is not in the portal: nothing to point the customer at.
    .where('status', '!=', 'draft')
    .executeTakeFirst();
  return document ? { customerId: document.customerId, name: document.number } : null;
}

/**
 * "E-mail my customer when I comment": a business comment marked "display in client portal" is e-mailed to the
 * customer's contact persons who use the portal (active, with an e-mail), in the comment's transaction, with a
 * link to the document in the portal built from PUBLIC_URL. Nothing is sent for subjects the portal does not show
 * (drafts; projects while projects are hidden; any subject while the portal is off).
 */
export async function emailCustomerOfBusinessReply(
  trx: Db,
  ctx: AppContext,
  organizationId: string,
  subject: CommentedSubject,
  subjectId: string,
  text: string,
): Promise<void> {
  const organization = await trx
    .selectFrom('organizations')
    .select(['name', 'slug', 'locale', 'portalEnabled', 'portalEmailOnComment', 'portalShowProjects'])
    .where('id', '=', organizationId)
    .executeTakeFirstOrThrow();
  if (organization.portalEnabled !== 1 || organization.portalEmailOnComment !== 1) return;
  if (subject.table === 'projects' && organization.portalShowProjects !== 1) return;
  const target = await portalSubjectOf(trx, organizationId, subject, subjectId);
  if (!target) return;
  // A deleted customer's people can no longer sign in: no link to send them.
  const recipients = await trx
    .selectFrom('contactPersons as cp')
    .innerJoin('customers as c', 'c.id', 'cp.customerId')
    .select(['cp.firstName', 'cp.lastName', 'cp.email', 'cp.language'])
    .where('cp.organizationId', '=', organizationId)
    .where('cp.customerId', '=', target.customerId)
    .where('cp.portalStatus', '=', 'active')
    .where('cp.email', 'is not', null)
    .where('cp.deletedAt', 'is', null)
    .where('c.organizationId', '=', organizationId)
    .where('c.deletedAt', 'is', null)
    .orderBy('cp.createdAt')
    .orderBy('cp.id')
    .execute();
  const portalUrl = new URL(
    `/portal/${encodeURIComponent(organization.slug)}/${subject.segment}/${encodeURIComponent(subjectId)}`,
    ctx.config.publicUrl,
  ).toString();
  const now = ctx.now();
  for (const person of recipients) {
    if (!person.email) continue;
    // In each recipient's language: "invoice INV-00042", "die Rechnung INV-00042".
    const words = wordsForContact(person.language, organization.locale);
    await enqueueTemplate(trx, now, {
      organizationId,
      to: person.email,
      template: 'businessReply',
      data: {
        organizationName: organization.name,
        contactName: contactName(person),
        subjectLabel: words.t(`businessReply.on.${subject.table}`, { name: target.name }),
        text,
        portalUrl,
        locale: words.locale,
      },
    });
  }
}
