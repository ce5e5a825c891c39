import type { AppContext } from '../context.js';
import { notFound } from '../domain/errors.js';
import type { PdfOrganization } from './layout.js';

/** What a PDF shows of the organization that issues it. */
export async function loadPdfOrganization(ctx: AppContext, organizationId: string): Promise<PdfOrganization> {
  const org = await ctx.db.kysely
    .selectFrom('organizations')
    .select(['name', 'address', 'email', 'phone', 'website', 'logoBase64', 'logoContentType', 'locale'])
    .where('id', '=', organizationId)
    .executeTakeFirst();
  if (!org) throw notFound('organization');
  return org;
}
