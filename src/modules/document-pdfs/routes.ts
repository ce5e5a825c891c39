import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { sendPdf } from '../../http/downloads.js';
import { IdParams, Language } from '../../http/schemas.js';
import { type PdfDocumentKind, renderDocumentPdf, renderPaymentReceiptPdf } from '../documents/index.js';
import {
  fileResponse,
  presentStatement,
  renderStatementPdf,
  resolvePeriod,
  StatementQuery,
  StatementResponse,
  statementFor,
} from '../statements/index.js';

/** The business reads its PDFs in its organization's locale, or asks for a client's language to see theirs. */
const PdfQuery = Type.Object(
  { language: Type.Optional(Language) },
  { additionalProperties: false, description: 'language: the words of the PDF (default: the organization’s locale).' },
);

/** The statement's period, and the language its words are in (default: the organization's locale). */
const StatementPdfQuery = Type.Object(
  { ...StatementQuery.properties, language: Type.Optional(Language) },
  { additionalProperties: false, description: 'language: the words of the PDF (default: the organization’s locale).' },
);

/**
 * The business side's PDFs (drafts included: the business sees its own drafts) and customers' statements. Every
 * lookup is by the OrgScope's organization, so another organization's id is a 404.
 */
export const documentPdfRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const documents: Array<[string, PdfDocumentKind, string]> = [
      ['estimates', 'estimate', 'estimates'],
      ['invoices', 'invoice', 'invoices'],
      ['retainer-invoices', 'retainer_invoice', 'retainer invoices'],
    ];
    for (const [segment, kind, tag] of documents) {
      app.get(
        `/${segment}/:id/pdf`,
        {
          schema: {
            tags: [tag],
            summary: `The ${kind.replace('_', ' ')} as a PDF`,
            params: IdParams,
            querystring: PdfQuery,
            response: { 200: fileResponse('application/pdf', 'The document (attachment)') },
          },
        },
        async (request, reply) => {
          const { organizationId } = orgScopeOf(request);
          const language = request.query.language ?? null;
          return sendPdf(reply, await renderDocumentPdf(ctx, organizationId, kind, request.params.id, language));
        },
      );
    }
    app.get(
      '/payments/:id/receipt',
      {
        schema: {
          tags: ['payments'],
          summary: 'The payment receipt as a PDF',
          params: IdParams,
          querystring: PdfQuery,
          response: { 200: fileResponse('application/pdf', 'The receipt (attachment)') },
        },
      },
      async (request, reply) => {
        const { organizationId } = orgScopeOf(request);
        const language = request.query.language ?? null;
        return sendPdf(reply, await renderPaymentReceiptPdf(ctx, organizationId, request.params.id, language));
      },
    );
    app.get(
      '/customers/:id/statement',
      {
        schema: {
          tags: ['customers'],
          summary: "A customer's statement of accounts (default: this month)",
          params: IdParams,
          querystring: StatementQuery,
          response: { 200: StatementResponse },
        },
      },
      async (request) => {
        const { organizationId } = orgScopeOf(request);
        const period = await resolvePeriod(ctx, organizationId, request.query);
        return presentStatement(await statementFor(ctx, organizationId, request.params.id, period));
      },
    );
    app.get(
      '/customers/:id/statement/pdf',
      {
        schema: {
          tags: ['customers'],
          summary: "A customer's statement of accounts as a PDF",
          params: IdParams,
          querystring: StatementPdfQuery,
          response: { 200: fileResponse('application/pdf', 'The statement (attachment)') },
        },
      },
      async (request, reply) => {
        const { organizationId } = orgScopeOf(request);
        const period = await resolvePeriod(ctx, organizationId, request.query);
        const statement = await statementFor(ctx, organizationId, request.params.id, period);
        const language = request.query.language ?? null;
        return sendPdf(reply, await renderStatementPdf(ctx, organizationId, statement, language));
      },
    );
  };
