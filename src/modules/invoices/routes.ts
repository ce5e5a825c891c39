import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { sendJsonPage } from '../../http/pagination.js';
import { IdParams, Page } from '../../http/schemas.js';
import { Invoice, InvoiceInput, InvoiceListQuery, InvoicePatch, InvoiceSummary, WriteOffInput } from './schemas.js';
import {
  cancelWriteOff,
  createInvoice,
  deleteInvoice,
  getInvoice,
  listInvoices,
  markInvoiceSent,
  reopenInvoice,
  sendInvoice,
  updateInvoice,
  voidInvoice,
  writeOffInvoice,
} from './service.js';

const tags = ['invoices'];

export const invoiceRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/invoices',
      {
        schema: {
          tags,
          summary: 'List invoices (newest issue date first)',
          querystring: InvoiceListQuery,
          response: { 200: Page(InvoiceSummary) },
        },
      },
      async (request, reply) => sendJsonPage(reply, await listInvoices(ctx, orgScopeOf(request), request.query)),
    );
    app.post(
      '/invoices',
      { schema: { tags, summary: 'Create a draft invoice', body: InvoiceInput, response: { 201: Invoice } } },
      async (request, reply) => reply.status(201).send(await createInvoice(ctx, orgScopeOf(request), request.body)),
    );
    app.get(
      '/invoices/:id',
      { schema: { tags, summary: 'An invoice', params: IdParams, response: { 200: Invoice } } },
      async (request) => getInvoice(ctx, orgScopeOf(request), request.params.id),
    );
    app.patch(
      '/invoices/:id',
      {
        schema: {
          tags,
          summary: 'Edit a draft, or a sent invoice nothing was applied to yet',
          params: IdParams,
          body: InvoicePatch,
          response: { 200: Invoice },
        },
      },
      async (request) => updateInvoice(ctx, orgScopeOf(request), request.params.id, request.body),
    );
    app.delete(
      '/invoices/:id',
      { schema: { tags, summary: 'Delete a draft invoice', params: IdParams, response: { 204: Type.Null() } } },
      async (request, reply) => {
        await deleteInvoice(ctx, orgScopeOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/invoices/:id/send',
      {
        schema: {
          tags,
          summary:
            'E-mail the invoice to the customer (PDF and portal link): a draft is marked sent first; an invoice still owed is e-mailed again',
          params: IdParams,
          response: { 200: Invoice },
        },
      },
      async (request) => sendInvoice(ctx, orgScopeOf(request), request.params.id),
    );
    app.post(
      '/invoices/:id/mark-sent',
      {
        schema: {
          tags,
          summary: 'Mark a draft invoice as sent without e-mailing it',
          params: IdParams,
          response: { 200: Invoice },
        },
      },
      async (request) => markInvoiceSent(ctx, orgScopeOf(request), request.params.id),
    );
    app.post(
      '/invoices/:id/void',
      {
        schema: {
          tags,
          summary: "Void an issued invoice; its payments become the customer's credit",
          params: IdParams,
          response: { 200: Invoice },
        },
      },
      async (request) => voidInvoice(ctx, orgScopeOf(request), request.params.id),
    );
    app.post(
      '/invoices/:id/reopen',
      {
        schema: {
          tags,
          summary: 'Reopen a void invoice as a draft',
          params: IdParams,
          response: { 200: Invoice },
        },
      },
      async (request) => reopenInvoice(ctx, orgScopeOf(request), request.params.id),
    );
    app.post(
      '/invoices/:id/write-off',
      {
        schema: {
          tags,
          summary: 'Write off the balance due (or part of it), dated today',
          params: IdParams,
          body: WriteOffInput,
          response: { 200: Invoice },
        },
        // The body is optional: no body writes off the whole balance.
        preValidation: async (request) => {
          if (request.body === undefined || request.body === null) request.body = {};
        },
      },
      async (request) => writeOffInvoice(ctx, orgScopeOf(request), request.params.id, request.body),
    );
    app.post(
      '/invoices/:id/cancel-write-off',
      { schema: { tags, summary: 'Cancel the write-off', params: IdParams, response: { 200: Invoice } } },
      async (request) => cancelWriteOff(ctx, orgScopeOf(request), request.params.id),
    );
  };
