import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { sendJsonPage } from '../../http/pagination.js';
import { IdParams, Page } from '../../http/schemas.js';
import { Invoice } from '../invoices/index.js';
import { Estimate, EstimateInput, EstimateListQuery, EstimatePatch, EstimateSummary } from './schemas.js';
import {
  convertEstimate,
  createEstimate,
  deleteEstimate,
  getEstimate,
  listEstimates,
  markEstimateSent,
  sendEstimate,
  updateEstimate,
} from './service.js';

const tags = ['estimates'];

export const estimateRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/estimates',
      {
        schema: {
          tags,
          summary: 'List estimates (newest issue date first)',
          querystring: EstimateListQuery,
          response: { 200: Page(EstimateSummary) },
        },
      },
      async (request, reply) => sendJsonPage(reply, await listEstimates(ctx, orgScopeOf(request), request.query)),
    );
    app.post(
      '/estimates',
      { schema: { tags, summary: 'Create a draft estimate', body: EstimateInput, response: { 201: Estimate } } },
      async (request, reply) => reply.status(201).send(await createEstimate(ctx, orgScopeOf(request), request.body)),
    );
    app.get(
      '/estimates/:id',
      { schema: { tags, summary: 'An estimate', params: IdParams, response: { 200: Estimate } } },
      async (request) => getEstimate(ctx, orgScopeOf(request), request.params.id),
    );
    app.patch(
      '/estimates/:id',
      {
        schema: {
          tags,
          summary: 'Edit a draft or declined estimate',
          params: IdParams,
          body: EstimatePatch,
          response: { 200: Estimate },
        },
      },
      async (request) => updateEstimate(ctx, orgScopeOf(request), request.params.id, request.body),
    );
    app.delete(
      '/estimates/:id',
      { schema: { tags, summary: 'Delete a draft estimate', params: IdParams, response: { 204: Type.Null() } } },
      async (request, reply) => {
        await deleteEstimate(ctx, orgScopeOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/estimates/:id/send',
      {
        schema: {
          tags,
          summary:
            'E-mail the estimate to the customer (PDF and portal link): a draft or revised declined one is marked sent first; one awaiting an answer is e-mailed again',
          params: IdParams,
          response: { 200: Estimate },
        },
      },
      async (request) => sendEstimate(ctx, orgScopeOf(request), request.params.id),
    );
    app.post(
      '/estimates/:id/mark-sent',
      {
        schema: {
          tags,
          summary: 'Mark a draft estimate as sent without e-mailing it',
          params: IdParams,
          response: { 200: Estimate },
        },
      },
      async (request) => markEstimateSent(ctx, orgScopeOf(request), request.params.id),
    );
    app.post(
      '/estimates/:id/convert',
      {
        schema: {
          tags,
          summary: 'Convert a sent or accepted estimate into a draft invoice',
          params: IdParams,
          response: { 201: Invoice },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await convertEstimate(ctx, orgScopeOf(request), request.params.id)),
    );
  };
