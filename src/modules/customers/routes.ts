import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import { IdParams, Page } from '../../http/schemas.js';
import { getCustomerBalance } from './balance.js';
import {
  ContactPerson,
  ContactPersonInput,
  ContactPersonParams,
  ContactPersonPatch,
  Customer,
  CustomerBalance,
  CustomerInput,
  CustomerListQuery,
  CustomerPatch,
} from './schemas.js';
import {
  addContactPerson,
  createCustomer,
  deleteContactPerson,
  deleteCustomer,
  getCustomer,
  listCustomers,
  updateContactPerson,
  updateCustomer,
} from './service.js';

const tags = ['customers'];

export const customerRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/customers',
      {
        schema: { tags, summary: 'List customers', querystring: CustomerListQuery, response: { 200: Page(Customer) } },
      },
      async (request) => listCustomers(ctx, orgScopeOf(request), request.query),
    );
    app.post(
      '/customers',
      { schema: { tags, summary: 'Create a customer', body: CustomerInput, response: { 201: Customer } } },
      async (request, reply) => reply.status(201).send(await createCustomer(ctx, orgScopeOf(request), request.body)),
    );
    app.get(
      '/customers/:id',
      { schema: { tags, summary: 'A customer', params: IdParams, response: { 200: Customer } } },
      async (request) => getCustomer(ctx, orgScopeOf(request), request.params.id),
    );
    app.get(
      '/customers/:id/balance',
      {
        schema: {
          tags,
          summary: "The customer's balance now: outstanding invoices, credit available, net balance",
          params: IdParams,
          response: { 200: CustomerBalance },
        },
      },
      async (request) => getCustomerBalance(ctx, orgScopeOf(request), request.params.id),
    );
    app.patch(
      '/customers/:id',
      {
        schema: {
          tags,
          summary: 'Update a customer',
          params: IdParams,
          body: CustomerPatch,
          response: { 200: Customer },
        },
      },
      async (request) => updateCustomer(ctx, orgScopeOf(request), request.params.id, request.body),
    );
    app.delete(
      '/customers/:id',
      { schema: { tags, summary: 'Delete a customer', params: IdParams, response: { 204: Type.Null() } } },
      async (request, reply) => {
        await deleteCustomer(ctx, orgScopeOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/customers/:id/contact-persons',
      {
        schema: {
          tags,
          summary: 'Add a contact person',
          params: IdParams,
          body: ContactPersonInput,
          response: { 201: ContactPerson },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await addContactPerson(ctx, orgScopeOf(request), request.params.id, request.body)),
    );
    app.patch(
      '/customers/:id/contact-persons/:contactPersonId',
      {
        schema: {
          tags,
          summary: 'Update a contact person',
          params: ContactPersonParams,
          body: ContactPersonPatch,
          response: { 200: ContactPerson },
        },
      },
      async (request) =>
        updateContactPerson(ctx, orgScopeOf(request), request.params.id, request.params.contactPersonId, request.body),
    );
    app.delete(
      '/customers/:id/contact-persons/:contactPersonId',
      {
        schema: {
          tags,
          summary: 'Remove a contact person',
          params: ContactPersonParams,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await deleteContactPerson(ctx, orgScopeOf(request), request.params.id, request.params.contactPersonId);
        return reply.status(204).send(null);
      },
    );
  };
