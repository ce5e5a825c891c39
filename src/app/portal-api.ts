import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { portalGuard } from '../auth/portal-guard.js';
import type { AppContext } from '../context.js';
import { portalPayNowRoutes } from '../modules/online-payments/routes.js';
import { publicPortalBrandRoutes } from '../modules/organization/brand-routes.js';
import { portalAccountRoutes } from '../modules/portal-account/routes.js';
import { portalAuthRoutes, publicPortalAuthRoutes } from '../modules/portal-auth/routes.js';
import { portalAutopayRoutes } from '../modules/portal-autopay/routes.js';
import { portalBankTransferRoutes } from '../modules/portal-bank-transfer/routes.js';
import { portalCommentRoutes } from '../modules/portal-comments/routes.js';
import { portalDocumentRoutes } from '../modules/portal-documents/routes.js';
import { portalExportRoutes } from '../modules/portal-export/routes.js';
import { portalForwardRoutes } from '../modules/portal-forward/routes.js';
import { portalHomeRoutes } from '../modules/portal-home/routes.js';
import { portalPaymentRoutes } from '../modules/portal-payments/routes.js';
import { portalPdfRoutes } from '../modules/portal-pdfs/routes.js';
import { portalProjectRoutes } from '../modules/portal-projects/routes.js';
import { portalQuoteRequestRoutes } from '../modules/portal-quote-requests/routes.js';
import { portalRetainerRoutes } from '../modules/portal-retainers/routes.js';
import { portalSecondFactorRoutes } from '../modules/portal-second-factors/routes.js';
import { portalStatementRoutes } from '../modules/portal-statement/routes.js';
import { portalReviewRoutes } from '../modules/reviews/routes.js';

/**
 * `/api/portal/:slug`: the client portal API. Signing in, invitations and password resets are public; the rest
 * runs behind the portal guard, which resolves the PortalScope from the session for this portal only.
 */
export const portalApi =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    await app.register(publicPortalAuthRoutes(ctx));
    await app.register(publicPortalBrandRoutes(ctx));
    await app.register(async (guarded) => {
      guarded.addHook('onRequest', portalGuard(ctx));
      guarded.addHook('onRoute', (route) => {
        route.schema = { ...route.schema, security: [{ portalSession: [] }] };
      });
      await guarded.register(portalAuthRoutes(ctx));
      await guarded.register(portalAccountRoutes(ctx));
      await guarded.register(portalDocumentRoutes(ctx));
      await guarded.register(portalPdfRoutes(ctx));
      await guarded.register(portalStatementRoutes(ctx));
      await guarded.register(portalReviewRoutes(ctx));
      await guarded.register(portalForwardRoutes(ctx));
      await guarded.register(portalHomeRoutes(ctx));
      await guarded.register(portalRetainerRoutes(ctx));
      await guarded.register(portalPaymentRoutes(ctx));
      await guarded.register(portalPayNowRoutes(ctx));
      await guarded.register(portalAutopayRoutes(ctx));
      await guarded.register(portalProjectRoutes(ctx));
      await guarded.register(portalCommentRoutes(ctx));
      await guarded.register(portalExportRoutes(ctx));
      await guarded.register(portalBankTransferRoutes(ctx));
      await guarded.register(portalQuoteRequestRoutes(ctx));
      await guarded.register(portalSecondFactorRoutes(ctx));
    });
  };
