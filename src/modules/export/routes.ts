import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { sendFile } from '../../http/downloads.js';
import { fileResponse } from '../statements/index.js';
import { ExportQuery } from './schemas.js';
import { exportOrganization } from './service.js';

/** The organization's data export (docs/export.md). */
export const exportRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/export',
      {
        schema: {
          tags: ['export'],
          summary: "All the organization's data as a ZIP of CSV files and a manifest (owners and admins)",
          querystring: ExportQuery,
          response: { 200: fileResponse('application/zip', 'The export (attachment), streamed') },
        },
      },
      async (request, reply) => {
        const file = await exportOrganization(ctx, orgScopeOf(request), {
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        });
        return sendFile(reply, { filename: file.filename, body: file.zip, contentType: 'application/zip' });
      },
    );
  };
