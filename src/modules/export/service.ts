import { requireAdmin } from '../../auth/business-guard.js';
import type { OrgScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { fileNameOf } from '../../pdf/format.js';
import { recordAudit } from '../audit/index.js';
import { organizationFiles } from './organization-files.js';
import { zipOf } from './zip.js';

/** Where a request came from, for the audit log. */
export interface RequestInfo {
  ip: string;
  userAgent: string | null;
}

/**
 * The organization's data as one ZIP of CSV files and a manifest, streamed page by page. Who may change the
 * settings may take everything out: owners and admins, and admin API keys (an owner's keys are admin keys); staff
 * may not. The export is written to the audit log before its first byte.
 */
export async function exportOrganization(ctx: AppContext, scope: OrgScope, from: RequestInfo) {
  requireAdmin(scope);
  const organization = await ctx.db.kysely
    .selectFrom('organizations')
    .select(['id', 'name', 'slug'])
    .where('id', '=', scope.organizationId)
    .executeTakeFirstOrThrow();
  const exportedAt = ctx.now().toISOString();
  await recordAudit(ctx.db.kysely, {
    organizationId: scope.organizationId,
    event: 'business.data_exported',
    actorType: 'user',
    actorId: scope.userId ?? scope.apiKey?.actsForUserId ?? null,
    details: scope.apiKey ? { via: scope.via, apiKeyId: scope.apiKey.id } : { via: scope.via },
    ...from,
    at: exportedAt,
  });
  return {
    filename: fileNameOf(`portico-export-${organization.slug}-${exportedAt.slice(0, 10)}`, 'zip'),
    zip: zipOf(
      organizationFiles(ctx.db.kysely, scope),
      { export: 'organization', organization: { id: organization.id, name: organization.name } },
      exportedAt,
    ),
  };
}
