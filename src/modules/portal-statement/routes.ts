import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { portalScopeOf } from '../../auth/portal-guard.js';
import type { PortalScope } from '../../auth/scopes.js';
import type { AppContext } from '../../context.js';
import { sendFile, sendHtmlPage, sendPdf } from '../../http/downloads.js';
import { wordsFor } from '../../i18n/words.js';
import { fileNameOf } from '../../pdf/format.js';
import { loadPdfOrganization } from '../../pdf/organization.js';
import { contactEmailLocale, contactLanguage } from '../customers/index.js';
import {
  fileResponse,
  type PeriodQuery,
  presentStatement,
  renderStatementPdf,
  resolvePeriod,
  STATEMENT_CSS_HASH,
  StatementQuery,
  StatementResponse,
  statementCsv,
  statementFor,
  statementHtml,
} from '../statements/index.js';

/** The client's own statement of accounts: the customer always comes from the PortalScope, never the request. */
export const portalStatementRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['portal: statement'];
    const statementOf = async (scope: PortalScope, query: PeriodQuery) =>
      statementFor(ctx, scope.organizationId, scope.customerId, await resolvePeriod(ctx, scope.organizationId, query));

    app.get(
      '/statement',
      {
        schema: {
          tags,
          summary: 'My statement of accounts (default: this month)',
          querystring: StatementQuery,
          response: { 200: StatementResponse },
        },
      },
      async (request) => presentStatement(await statementOf(portalScopeOf(request), request.query)),
    );
    app.get(
      '/statement/pdf',
      {
        schema: {
          tags,
          summary: 'My statement of accounts as a PDF',
          querystring: StatementQuery,
          response: { 200: fileResponse('application/pdf', 'The statement (attachment)') },
        },
      },
      async (request, reply) => {
        const scope = portalScopeOf(request);
        const statement = await statementOf(scope, request.query);
        // In the signed-in contact's language.
        const language = await contactLanguage(ctx.db.kysely, scope.organizationId, scope.contactPersonId);
        return sendPdf(reply, await renderStatementPdf(ctx, scope.organizationId, statement, language));
      },
    );
    app.get(
      '/statement/csv',
      {
        schema: {
          tags,
          summary: 'My statement of accounts as CSV',
          querystring: StatementQuery,
          response: { 200: fileResponse('text/csv', 'The statement lines (attachment)') },
        },
      },
      async (request, reply) => {
        const scope = portalScopeOf(request);
        const statement = await statementOf(scope, request.query);
        // Its words in the signed-in contact's language, as the PDF's.
        const locale = await contactEmailLocale(ctx.db.kysely, scope.organizationId, scope.contactPersonId);
        return sendFile(reply, {
          filename: fileNameOf(`statement-${statement.from}-${statement.to}`, 'csv'),
          body: statementCsv(statement, wordsFor(locale)),
          contentType: 'text/csv; charset=utf-8',
        });
      },
    );
    app.get(
      '/statement/html',
      {
        schema: {
          tags,
          summary: 'My statement of accounts as a print-friendly page',
          querystring: StatementQuery,
          response: { 200: fileResponse('text/html', 'A standalone page with a print stylesheet') },
        },
      },
      async (request, reply) => {
        const scope = portalScopeOf(request);
        const statement = await statementOf(scope, request.query);
        const organization = await loadPdfOrganization(ctx, scope.organizationId);
        // In the signed-in contact's language, as the PDF and the CSV.
        const locale = await contactEmailLocale(ctx.db.kysely, scope.organizationId, scope.contactPersonId);
        return sendHtmlPage(reply, statementHtml(organization, statement, wordsFor(locale)), STATEMENT_CSS_HASH);
      },
    );
  };
