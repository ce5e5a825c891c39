import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { orgScopeOf } from '../../auth/business-guard.js';
import type { AppContext } from '../../context.js';
import {
  BankTransferInstructions,
  BankTransferInstructionsInput,
  BankTransferInstructionsList,
  CurrencyParams,
} from './schemas.js';
import {
  listBankTransferInstructions,
  putBankTransferInstructions,
  removeBankTransferInstructions,
} from './service.js';

const tags = ['bank transfer'];

/** Where clients pay by bank transfer, per currency: every user may read them; owners and admins change them. */
export const bankTransferRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/bank-transfer-instructions',
      {
        schema: {
          tags,
          summary: 'The bank-transfer instructions of every currency',
          response: { 200: BankTransferInstructionsList },
        },
      },
      async (request) => listBankTransferInstructions(ctx, orgScopeOf(request)),
    );
    app.put(
      '/bank-transfer-instructions/:currency',
      {
        schema: {
          tags,
          summary: "Set a currency's bank-transfer instructions (owners and admins; owners are e-mailed)",
          params: CurrencyParams,
          body: BankTransferInstructionsInput,
          response: { 200: BankTransferInstructions },
        },
      },
      async (request) =>
        putBankTransferInstructions(ctx, orgScopeOf(request), request.params.currency, request.body, {
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        }),
    );
    app.delete(
      '/bank-transfer-instructions/:currency',
      {
        schema: {
          tags,
          summary: "Remove a currency's bank-transfer instructions (owners and admins; owners are e-mailed)",
          params: CurrencyParams,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await removeBankTransferInstructions(ctx, orgScopeOf(request), request.params.currency, {
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        });
        return reply.status(204).send(null);
      },
    );
  };
