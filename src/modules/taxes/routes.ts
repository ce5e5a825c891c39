import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { IdParams, Page } from '../../http/schemas.js';
import { Tax, TaxInput, TaxListQuery, TaxPatch } from './schemas.js';
import { createTax, deleteTax, getTax, listTaxes, markDefaultTax, updateTax } from './service.js';

const tags = ['taxes'];

/** Taxes: every user may read them (to price documents); owners and admins change them. */
export const taxRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/taxes',
      { schema: { tags, summary: 'List taxes', querystring: TaxListQuery, response: { 200: Page(Tax) } } },
      async (request) => listTaxes(ctx, orgScopeOf(request), request.query),
    );
    app.post(
      '/taxes',
      { schema: { tags, summary: 'Create a tax', body: TaxInput, response: { 201: Tax } } },
      async (request, reply) => reply.status(201).send(await createTax(ctx, orgScopeOf(request), request.body)),
    );
    app.get(
      '/taxes/:id',
      { schema: { tags, summary: 'A tax', params: IdParams, response: { 200: Tax } } },
      async (request) => getTax(ctx, orgScopeOf(request), request.params.id),
    );
    app.patch(
      '/taxes/:id',
      { schema: { tags, summary: 'Update a tax', params: IdParams, body: TaxPatch, response: { 200: Tax } } },
      async (request) => updateTax(ctx, orgScopeOf(request), request.params.id, request.body),
    );
    app.post(
      '/taxes/:id/default',
      { schema: { tags, summary: 'Make this the default tax', params: IdParams, response: { 200: Tax } } },
      async (request) => markDefaultTax(ctx, orgScopeOf(request), request.params.id),
    );
    app.delete(
      '/taxes/:id',
      { schema: { tags, summary: 'Delete a tax', params: IdParams, response: { 204: Type.Null() } } },
      async (request, reply) => {
        await deleteTax(ctx, orgScopeOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
