import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { businessGuard } from '../auth/business-guard.js';
import type { AppContext } from '../context.js';
import { activityRoutes } from '../modules/activity/routes.js';
import { apiKeyRoutes } from '../modules/api-keys/routes.js';
import { auditRoutes } from '../modules/audit/routes.js';
import { bankTransferRoutes } from '../modules/bank-transfer/routes.js';
import { businessHomeRoutes } from '../modules/business-home/routes.js';
import { customerRoutes } from '../modules/customers/routes.js';
import { documentPdfRoutes } from '../modules/document-pdfs/routes.js';
import { documentRoutes } from '../modules/documents/routes.js';
import { eInvoiceRoutes } from '../modules/e-invoices/routes.js';
import { estimateRoutes } from '../modules/estimates/routes.js';
import { exportRoutes } from '../modules/export/routes.js';
import { invoiceRoutes } from '../modules/invoices/routes.js';
import { mailboxRoutes } from '../modules/mailbox/routes.js';
import { paymentFailureRoutes } from '../modules/online-payments/routes.js';
import { organizationRoutes } from '../modules/organization/routes.js';
import { paymentGatewayRoutes } from '../modules/payment-gateways/routes.js';
import { paymentRoutes } from '../modules/payments/routes.js';
import { portalAccessRoutes } from '../modules/portal-access/routes.js';
import { portalActivityRoutes } from '../modules/portal-activity/routes.js';
import { portalSettingsRoutes } from '../modules/portal-settings/routes.js';
import { projectRoutes } from '../modules/projects/routes.js';
import { quoteRequestRoutes } from '../modules/quote-requests/routes.js';
import { recurringProfileRoutes } from '../modules/recurring-profiles/routes.js';
import { retainerInvoiceRoutes } from '../modules/retainer-invoices/routes.js';
import { reviewRoutes } from '../modules/reviews/routes.js';
import { secondFactorRoutes } from '../modules/second-factors/routes.js';
import { publicSessionRoutes, sessionRoutes } from '../modules/session/routes.js';
import { setupRoutes } from '../modules/setup/routes.js';
import { taxRoutes } from '../modules/taxes/routes.js';
import { userRoutes } from '../modules/users/routes.js';
import { webhookRoutes } from '../modules/webhooks/routes.js';

/** `/api/v1`: the business API. Everything but signing in runs behind the business guard (OrgScope). */
export const businessApi =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    await app.register(publicSessionRoutes(ctx));
    await app.register(setupRoutes(ctx));
    await app.register(async (guarded) => {
      guarded.addHook('onRequest', businessGuard(ctx));
      // Every guarded route accepts an API key or the back-office session; the OpenAPI document says so.
      guarded.addHook('onRoute', (route) => {
        route.schema = { ...route.schema, security: [{ apiKey: [] }, { businessSession: [] }] };
      });
      await guarded.register(sessionRoutes(ctx));
      await guarded.register(organizationRoutes(ctx));
      await guarded.register(customerRoutes(ctx));
      await guarded.register(taxRoutes(ctx));
      await guarded.register(estimateRoutes(ctx));
      await guarded.register(invoiceRoutes(ctx));
      await guarded.register(documentRoutes(ctx));
      await guarded.register(activityRoutes(ctx));
      await guarded.register(userRoutes(ctx));
      await guarded.register(apiKeyRoutes(ctx));
      await guarded.register(projectRoutes(ctx));
      await guarded.register(recurringProfileRoutes(ctx));
      await guarded.register(retainerInvoiceRoutes(ctx));
      await guarded.register(paymentRoutes(ctx));
      await guarded.register(paymentFailureRoutes(ctx));
      await guarded.register(paymentGatewayRoutes(ctx));
      await guarded.register(documentPdfRoutes(ctx));
      await guarded.register(eInvoiceRoutes(ctx));
      await guarded.register(portalSettingsRoutes(ctx));
      await guarded.register(portalAccessRoutes(ctx));
      await guarded.register(auditRoutes(ctx));
      await guarded.register(reviewRoutes(ctx));
      await guarded.register(quoteRequestRoutes(ctx));
      await guarded.register(portalActivityRoutes(ctx));
      await guarded.register(businessHomeRoutes(ctx));
      await guarded.register(mailboxRoutes(ctx));
      await guarded.register(exportRoutes(ctx));
      await guarded.register(bankTransferRoutes(ctx));
      await guarded.register(webhookRoutes(ctx));
      await guarded.register(secondFactorRoutes(ctx));
    });
  };
