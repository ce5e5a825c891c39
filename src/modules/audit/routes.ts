import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { Page } from '../../http/schemas.js';
import { AuditLogEntry, AuditLogQuery } from './schemas.js';
import { listAuditLog } from './service.js';

/** The audit log of portal access and sign-ins. Every business user may read it (owners, admins and staff). */
export const auditRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/audit-log',
      {
        schema: {
          tags: ['audit'],
          summary: 'Audit log of portal access and sign-ins, newest first',
          querystring: AuditLogQuery,
          response: { 200: Page(AuditLogEntry) },
        },
      },
      async (request) => listAuditLog(ctx, orgScopeOf(request), request.query),
    );
  };
