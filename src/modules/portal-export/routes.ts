import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { portalScopeOf } from '../../auth/portal-guard.js';
import type { AppContext } from '../../context.js';
import { sendFile } from '../../http/downloads.js';
import { ExportQuery } from '../export/index.js';
import { fileResponse } from '../statements/index.js';
import { exportMyData } from './service.js';

/** "Download my data" in the portal (docs/export.md). */
export const portalExportRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/export',
      {
        schema: {
          tags: ['portal: account'],
          summary: 'My data: my details, my documents, payments and comments, as a ZIP of CSV files and JSON',
          querystring: ExportQuery,
          response: { 200: fileResponse('application/zip', 'The export (attachment), streamed') },
        },
      },
      async (request, reply) => {
        const file = await exportMyData(ctx, portalScopeOf(request), {
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        });
        return sendFile(reply, { filename: file.filename, body: file.zip, contentType: 'application/zip' });
      },
    );
  };
