import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { DocumentPreview, PreviewInput, previewDocument } from './preview.js';

/** What estimates and invoices share: pricing a draft without saving it (an editor's live totals). */
export const documentRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/documents/preview',
      {
        schema: {
          tags: ['invoices', 'estimates'],
          summary: "Price an estimate's or invoice's lines and terms by the server's rules, without saving anything",
          body: PreviewInput,
          response: { 200: DocumentPreview },
        },
      },
      async (request) => previewDocument(ctx, orgScopeOf(request), request.body),
    );
  };
