import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { sendJsonPage } from '../../http/pagination.js';
import { IdParams, NoContent, Page } from '../../http/schemas.js';
import {
  ApplyCreditInput,
  ApplyCreditResult,
  CustomerCredits,
  Payment,
  PaymentDetail,
  PaymentInput,
  PaymentListQuery,
  PaymentPatch,
} from './schemas.js';
import {
  applyCustomerCredit,
  deletePayment,
  getCustomerCredits,
  getPayment,
  listPayments,
  recordPayment,
  updatePayment,
} from './service.js';

const tags = ['payments'];

export const paymentRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/payments',
      {
        schema: {
          tags,
          summary: 'List payments received, newest first',
          querystring: PaymentListQuery,
          response: { 200: Page(Payment) },
        },
      },
      async (request, reply) => sendJsonPage(reply, await listPayments(ctx, orgScopeOf(request), request.query)),
    );
    // Idempotency-Key is not honoured yet on this business route (no idempotency store exists yet).
    app.post(
      '/payments',
      {
        schema: {
          tags,
          summary: 'Record a payment received, applied to invoices or to a retainer invoice',
          body: PaymentInput,
          response: { 201: PaymentDetail },
        },
      },
      async (request, reply) => reply.status(201).send(await recordPayment(ctx, orgScopeOf(request), request.body)),
    );
    app.get(
      '/payments/:id',
      {
        schema: {
          tags,
          summary: 'A payment and where it was applied',
          params: IdParams,
          response: { 200: PaymentDetail },
        },
      },
      async (request) => getPayment(ctx, orgScopeOf(request), request.params.id),
    );
    app.patch(
      '/payments/:id',
      {
        schema: {
          tags,
          summary: "Edit a payment's date, mode, reference or notes",
          params: IdParams,
          body: PaymentPatch,
          response: { 200: PaymentDetail },
        },
      },
      async (request) => updatePayment(ctx, orgScopeOf(request), request.params.id, request.body),
    );
    app.delete(
      '/payments/:id',
      {
        schema: {
          tags,
          summary: 'Delete a payment and un-apply it from its invoices',
          params: IdParams,
          response: { 204: NoContent },
        },
      },
      async (request, reply) => {
        await deletePayment(ctx, orgScopeOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
    app.get(
      '/customers/:id/credits',
      {
        schema: {
          tags,
          summary: "A customer's available credit (unapplied payments and retainer credit)",
          params: IdParams,
          response: { 200: CustomerCredits },
        },
      },
      async (request) => getCustomerCredits(ctx, orgScopeOf(request), request.params.id),
    );
    app.post(
      '/customers/:id/apply-credit',
      {
        schema: {
          tags,
          summary: "Apply a customer's credit to open invoices",
          params: IdParams,
          body: ApplyCreditInput,
          response: { 200: ApplyCreditResult },
        },
      },
      async (request) => applyCustomerCredit(ctx, orgScopeOf(request), request.params.id, request.body),
    );
  };
