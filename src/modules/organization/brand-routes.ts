import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { portalOrganization } from '../../auth/portal-guard.js';
import type { AppContext } from '../../context.js';
import { loadLogo } from './logo.js';
import { Brand, SlugParams } from './schemas.js';
import { portalBrand } from './service.js';

const tags = ['portal: brand'];

// Revalidated after a few minutes (ETag), so a new or removed logo shows up soon without a fresh download each time.
const LOGO_CACHE_CONTROL = 'public, max-age=300, must-revalidate';

/**
 * The business's brand in front of its clients (UI.md: its name, logo and banner on every portal screen,
 * sign-in included), so public: the sign-in page has no session yet. It says nothing a client's invitation
 * does not already show. A disabled portal and an unknown name are the same 404, as everywhere on the portal.
 */
export const publicPortalBrandRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/brand',
      {
        schema: {
          tags,
          summary: "The organization's name, banner and logo for the portal screens (public)",
          params: SlugParams,
          response: { 200: Brand },
        },
      },
      async (request) => portalBrand(ctx, await portalOrganization(ctx, request.params.slug)),
    );

    app.get(
      '/brand/logo',
      {
        schema: {
          tags,
          summary: "The organization's logo image, PNG or JPEG (public; 404 when there is none)",
          params: SlugParams,
          response: {
            200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }),
            304: Type.Null({ description: 'Unchanged since the ETag in If-None-Match.' }),
          },
        },
      },
      async (request, reply) => {
        const org = await portalOrganization(ctx, request.params.slug);
        const logo = await loadLogo(ctx, org.id);
        reply
          .header('content-type', logo.contentType)
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', LOGO_CACHE_CONTROL)
          .header('etag', logo.etag)
          // Only an image, never a page: no scripts, no frames, no plug-ins, even if opened directly.
          .header('content-security-policy', "default-src 'none'; sandbox");
        if (request.headers['if-none-match'] === logo.etag) return reply.status(304).send(null);
        return reply.send(logo.bytes);
      },
    );
  };
