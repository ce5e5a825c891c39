import type { PortalScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { recordAudit } from '../audit/index.js';
import { jsonFile, type RequestInfo, zipOf } from '../export/index.js';
import { getAccount } from '../portal-account/index.js';
import { myFiles } from './files.js';

/**
 * "Download my data": the signed-in contact person's profile (as "My details" shows it), their customer's
 * documents as the portal shows them, their payments and their own comments, as a ZIP streamed page by page.
 * Written to the organization's audit log before its first byte.
 */
export async function exportMyData(ctx: AppContext, scope: PortalScope, from: RequestInfo) {
  const exportedAt = ctx.now().toISOString();
  await recordAudit(ctx.db.kysely, {
    organizationId: scope.organizationId,
    event: 'portal.data_exported',
    actorType: 'contact_person',
    actorId: scope.contactPersonId,
    contactPersonId: scope.contactPersonId,
    ...from,
    at: exportedAt,
  });
  const profile = jsonFile('profile.json', async () => {
    const { contactPerson, customer } = await getAccount(ctx, scope);
    return { contactPerson, customer };
  });
  return {
    filename: `my-data-${exportedAt.slice(0, 10)}.zip`,
    zip: zipOf([profile, ...myFiles(ctx.db.kysely, scope)], { export: 'contact_person' }, exportedAt),
  };
}
