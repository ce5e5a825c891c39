import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { portalScopeOf } from '../../auth/portal-guard.js';
import type { AppContext } from '../../context.js';
import { IdParams } from '../../http/schemas.js';
import { fileResponse } from '../statements/index.js';
import { PortalBankTransferNotices, PortalInvoiceBankTransfer } from './schemas.js';
import { portalBankTransferNotices, portalInvoiceBankTransfer, portalInvoiceQrCode } from './service.js';

const tags = ['portal: bank transfer'];

/** How to pay an invoice by bank transfer, and the warning when the account details changed recently. */
export const portalBankTransferRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/invoices/:id/bank-transfer',
      {
        schema: {
          tags,
          summary: 'How to pay this invoice by bank transfer (null when the business set no instructions)',
          params: IdParams,
          response: { 200: PortalInvoiceBankTransfer },
        },
      },
      async (request) => portalInvoiceBankTransfer(ctx, portalScopeOf(request), request.params.id),
    );
    app.get(
      '/invoices/:id/bank-transfer/qr-code',
      {
        schema: {
          tags,
          summary: "The invoice's EPC QR code (SEPA credit transfer) for a banking app to scan",
          params: IdParams,
          response: { 200: fileResponse('image/png', 'The QR code') },
        },
      },
      async (request, reply) => {
        const png = await portalInvoiceQrCode(ctx, portalScopeOf(request), request.params.id);
        return reply.header('cache-control', 'private, no-store').type('image/png').send(png);
      },
    );
    app.get(
      '/bank-transfer-notices',
      {
        schema: {
          tags,
          summary: 'Currencies I owe in whose bank-transfer details changed within 30 days',
          response: { 200: PortalBankTransferNotices },
        },
      },
      async (request) => portalBankTransferNotices(ctx, portalScopeOf(request)),
    );
  };
