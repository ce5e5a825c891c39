import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { sendJsonPage } from '../../http/pagination.js';
import { IdParams, NoContent, Page } from '../../http/schemas.js';
import {
  RetainerInvoice,
  RetainerInvoiceDetail,
  RetainerInvoiceInput,
  RetainerInvoiceListQuery,
  RetainerInvoicePatch,
} from './schemas.js';
import {
  createRetainerInvoice,
  deleteRetainerInvoice,
  getRetainerInvoice,
  listRetainerInvoices,
  reopenRetainerInvoice,
  sendRetainerInvoice,
  updateRetainerInvoice,
  voidRetainerInvoice,
} from './service.js';

const tags = ['retainer invoices'];

export const retainerInvoiceRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/retainer-invoices',
      {
        schema: {
          tags,
          summary: 'List retainer invoices',
          querystring: RetainerInvoiceListQuery,
          response: { 200: Page(RetainerInvoice) },
        },
      },
      async (request, reply) =>
        sendJsonPage(reply, await listRetainerInvoices(ctx, orgScopeOf(request), request.query)),
    );
    app.post(
      '/retainer-invoices',
      {
        schema: {
          tags,
          summary: 'Create a draft retainer invoice',
          body: RetainerInvoiceInput,
          response: { 201: RetainerInvoiceDetail },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await createRetainerInvoice(ctx, orgScopeOf(request), request.body)),
    );
    app.get(
      '/retainer-invoices/:id',
      {
        schema: {
          tags,
          summary: 'A retainer invoice with the payments received on it',
          params: IdParams,
          response: { 200: RetainerInvoiceDetail },
        },
      },
      async (request) => getRetainerInvoice(ctx, orgScopeOf(request), request.params.id),
    );
    app.patch(
      '/retainer-invoices/:id',
      {
        schema: {
          tags,
          summary: 'Edit a draft retainer invoice',
          params: IdParams,
          body: RetainerInvoicePatch,
          response: { 200: RetainerInvoiceDetail },
        },
      },
      async (request) => updateRetainerInvoice(ctx, orgScopeOf(request), request.params.id, request.body),
    );
    app.delete(
      '/retainer-invoices/:id',
      {
        schema: { tags, summary: 'Delete a draft retainer invoice', params: IdParams, response: { 204: NoContent } },
      },
      async (request, reply) => {
        await deleteRetainerInvoice(ctx, orgScopeOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
    for (const [action, summary, run] of [
      ['send', 'Mark a draft retainer invoice as sent', sendRetainerInvoice],
      ['void', 'Void a retainer invoice (its unapplied payments stay as customer credit)', voidRetainerInvoice],
      ['reopen', 'Reopen a voided retainer invoice as a draft', reopenRetainerInvoice],
    ] as const) {
      app.post(
        `/retainer-invoices/:id/${action}`,
        { schema: { tags, summary, params: IdParams, response: { 200: RetainerInvoiceDetail } } },
        async (request) => run(ctx, orgScopeOf(request), request.params.id),
      );
    }
  };
