import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Selectable } from 'kysely';
import type { AppContext } from '../../context.js';
import type { SandboxChargesTable, SandboxCheckoutSessionsTable } from '../../db/schema.js';
import { formatMoneyPlain } from '../../domain/money.js';
import { escapeHtml } from '../../notify/email-layout.js';
import { sandboxGatewayFor } from '../gateway-config.js';
import { checkCard, openSession, sessionUrlOf, transitionCharge } from './sandbox-gateway.js';

/**
 * The sandbox gateway's hosted pages, as a processor's checkout would serve them: the card-entry form and the
 * 3-D-Secure-style challenge. Outside the OpenAPI document and the business/portal guards, so each request
 * stands on its own:
 * - the session id in the URL is 130 random bits and expires after an hour; it works once;
 * - each form carries the session's own CSRF token, and a cross-origin Origin is refused;
 * - the client goes back only to the charge's return URL, which must be on PUBLIC_URL's origin;
 * - card numbers are checked and tokenized in memory: never stored, logged or echoed back in the page;
 * - no inline script or style (the app's CSP is `default-src 'self'`), every text escaped.
 * - the referrer policy is same-origin: the session URL is never sent to another origin, while the form's POST
 *   still carries the page's Origin (no-referrer would make browsers send `Origin: null`, refused above).
 */
type Session = Selectable<SandboxCheckoutSessionsTable>;
type Charge = Selectable<SandboxChargesTable>;

const SESSION_ID = /^sbcs_[0-9a-z]{26}$/;

const CSS = `body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1b1d21}
main{max-width:28rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:.5rem;box-shadow:0 1px 3px #0002}
h1{font-size:1.25rem;margin:0 0 .25rem}.amount{font-size:1.75rem;font-weight:600;margin:.5rem 0 1.5rem}
.sandbox{background:#fff4ce;border:1px solid #e5c54a;padding:.5rem .75rem;border-radius:.25rem;font-size:.875rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}input{width:100%;box-sizing:border-box;padding:.6rem;
font-size:1rem;border:1px solid #8a8f98;border-radius:.25rem}input[aria-invalid=true]{border-color:#b00020}
.row{display:flex;gap:1rem}.row>div{flex:1}.error{color:#b00020;font-size:.875rem;margin:.25rem 0 0}
.alert{border:1px solid #b00020;color:#b00020;padding:.5rem .75rem;border-radius:.25rem}
button{margin-top:1.5rem;width:100%;padding:.75rem;font-size:1rem;font-weight:600;border:0;border-radius:.25rem;
background:#1f4fd1;color:#fff;cursor:pointer}button.secondary{background:#fff;color:#1f4fd1;border:1px solid #1f4fd1}
button:focus-visible,input:focus-visible,a:focus-visible{outline:3px solid #1f4fd1;outline-offset:2px}
.cancel{text-align:center;margin:1.25rem 0 0}a{color:#1f4fd1}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/sandbox-gateway/assets/checkout.css">
</head>
<body>
<main>
<p class="sandbox">Sandbox gateway: test cards only, no money moves.</p>
${body}
</main>
</body>
</html>`;
}

function send(reply: FastifyReply, status: number, html: string) {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(html);
}

const gone = (reply: FastifyReply) =>
  send(
    reply,
    404,
    page(
      'Payment page not available',
      '<h1>This payment page is not available</h1><p>It was used already, or it expired. Go back to the portal and start again.</p>',
    ),
  );

const refused = (reply: FastifyReply) =>
  send(
    reply,
    403,
    page(
      'Form expired',
      '<h1>This form could not be accepted</h1><p>Reload the payment page and enter the card again.</p>',
    ),
  );

function tokensMatch(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** "Cancel and go back" to the charge's cancel URL (same origin only), as a processor's checkout offers. */
function cancelLinkOf(ctx: AppContext, charge: Charge): string {
  const cancel = safeReturnUrl(ctx, charge.cancelUrl);
  return cancel ? `<p class="cancel"><a href="${escapeHtml(cancel)}">Cancel and go back</a></p>` : '';
}

function safeReturnUrl(ctx: AppContext, url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.origin === ctx.config.publicUrl.origin ? parsed.toString() : null;
  } catch {
    return null;
  }
}

/** Parses "MM/YY", "MM / YYYY", "MMYY". */
function parseExpiry(raw: string): { month: number; year: number } | null {
  const match = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(raw);
  if (!match) return null;
  return { month: Number(match[1]), year: Number(match[2]) };
}

export const sandboxHostedPages =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    // Hosted forms post as browsers do; only these routes accept it (the parser is scoped to this plugin).
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 8192 },
      (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      },
    );

    async function openSessionOf(id: string, purpose: Session['purpose']) {
      if (!SESSION_ID.test(id)) return null;
      const session = await ctx.db.kysely
        .selectFrom('sandboxCheckoutSessions')
        .selectAll()
        .where('id', '=', id)
        .where('purpose', '=', purpose)
        .executeTakeFirst();
      if (!session || session.completedAt !== null || session.expiresAt <= ctx.now().toISOString()) return null;
      const charge = await ctx.db.kysely
        .selectFrom('sandboxCharges')
        .selectAll()
        .where('id', '=', session.chargeId)
        .where('organizationId', '=', session.organizationId)
        .executeTakeFirst();
      if (charge?.status !== 'requires_action') return null;
      const organization = await ctx.db.kysely
        .selectFrom('organizations')
        .select('name')
        .where('id', '=', session.organizationId)
        .executeTakeFirst();
      return { session, charge, merchant: organization?.name ?? 'the business' };
    }

    function summary(charge: Charge, merchant: string): string {
      const what =
        charge.kind === 'card_setup'
          ? `<h1>Save a card for ${escapeHtml(merchant)}</h1><p>The card will be kept by the gateway for later payments${charge.recurring ? ' of your recurring invoices' : ''}. Nothing is charged now.</p>`
          : `<h1>Pay ${escapeHtml(merchant)}</h1><p class="amount">${escapeHtml(formatMoneyPlain(charge.amount, charge.currency))} ${escapeHtml(charge.currency)}</p><p>${escapeHtml(charge.description)}</p>`;
      return what;
    }

    type Errors = Partial<Record<'number' | 'expiry' | 'cvc' | 'form', string>>;

    function checkoutForm(
      session: Session,
      charge: Charge,
      merchant: string,
      errors: Errors = {},
      postalCode = '',
    ): string {
      const field = (
        name: 'number' | 'expiry' | 'cvc',
        id: string,
        label: string,
        attributes: string,
      ) => `<label for="${id}">${label}</label>
<input id="${id}" name="${id}" ${attributes} required${errors[name] ? ` aria-invalid="true" aria-describedby="${id}-error"` : ''}>
${errors[name] ? `<p class="error" id="${id}-error">${escapeHtml(errors[name] ?? '')}</p>` : ''}`;
      const messages = Object.values(errors);
      return page(
        charge.kind === 'card_setup' ? 'Save a card' : 'Pay by card',
        `${summary(charge, merchant)}
${messages.length > 0 ? `<div class="alert" role="alert">${messages.map((m) => `<p>${escapeHtml(m ?? '')}</p>`).join('')}</div>` : ''}
<form method="post" action="/sandbox-gateway/checkout/${escapeHtml(session.id)}" novalidate>
<input type="hidden" name="csrfToken" value="${escapeHtml(session.csrfToken)}">
${field('number', 'cardNumber', 'Card number', 'inputmode="numeric" autocomplete="cc-number" maxlength="23"')}
<div class="row"><div>
${field('expiry', 'expiry', 'Expiry (MM/YY)', 'inputmode="numeric" autocomplete="cc-exp" maxlength="7" placeholder="MM/YY"')}
</div><div>
${field('cvc', 'cvc', 'Security code', 'inputmode="numeric" autocomplete="cc-csc" maxlength="4"')}
</div></div>
<label for="postalCode">Postal code</label>
<input id="postalCode" name="postalCode" autocomplete="postal-code" maxlength="20" value="${escapeHtml(postalCode)}">
<button type="submit">${charge.kind === 'card_setup' ? 'Save card' : 'Pay'}</button>
</form>
${cancelLinkOf(ctx, charge)}`,
      );
    }

    const sameOriginPost = (request: FastifyRequest) => {
      const origin = request.headers.origin;
      return origin === undefined || origin === ctx.config.publicUrl.origin;
    };

    app.get('/assets/checkout.css', { schema: { hide: true } }, async (_request, reply) =>
      reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(CSS),
    );

    app.get<{ Params: { sessionId: string } }>(
      '/checkout/:sessionId',
      { schema: { hide: true } },
      async (request, reply) => {
        const open = await openSessionOf(request.params.sessionId, 'card_entry');
        if (!open) return gone(reply);
        return send(reply, 200, checkoutForm(open.session, open.charge, open.merchant));
      },
    );

    app.post<{ Params: { sessionId: string }; Body: Record<string, string> }>(
      '/checkout/:sessionId',
      { schema: { hide: true } },
      async (request, reply) => {
        const open = await openSessionOf(request.params.sessionId, 'card_entry');
        if (!open) return gone(reply);
        const { session, charge, merchant } = open;
        const body = (request.body ?? {}) as Record<string, unknown>;
        if (!sameOriginPost(request) || !tokensMatch(body.csrfToken, session.csrfToken)) return refused(reply);
        const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
        const postalCode = text('postalCode').slice(0, 20);
        const expiry = parseExpiry(text('expiry'));
        if (!expiry) {
          return send(
            reply,
            422,
            checkoutForm(session, charge, merchant, { expiry: 'Enter the expiry date as MM/YY.' }, postalCode),
          );
        }
        const checked = checkCard(
          {
            number: text('cardNumber'),
            expMonth: expiry.month,
            expYear: expiry.year,
            cvc: text('cvc').trim(),
            postalCode,
          },
          ctx.now(),
        );
        if (!checked.ok) {
          return send(
            reply,
            422,
            checkoutForm(session, charge, merchant, { [checked.field]: checked.failure.message }, postalCode),
          );
        }
        const gateway = await sandboxGatewayFor(ctx, session.organizationId, charge.reference);
        if (!gateway) return gone(reply);
        const card = gateway.cardRow(checked, charge.kind === 'card_setup', charge.recurring === 1);
        const outcome = await gateway.cardOutcome(card, {
          amount: charge.amount,
          currency: charge.currency,
          postalCode: checked.postalCode ?? charge.customerPostalCode,
          offSession: false,
          purpose: charge.kind,
          excludeChargeId: charge.id,
        });
        let challenge: string | null = null;
        const updated = await transitionCharge(
          ctx,
          charge,
          {
            status: outcome.status,
            failureCode: outcome.failure?.code ?? null,
            failureMessage: outcome.failure?.message ?? null,
            cardId: card.id,
            cardFingerprint: card.fingerprint,
          },
          {
            before: async (trx) => {
              // The session works once: of two submissions at the same time, one wins.
              const used = await trx
                .updateTable('sandboxCheckoutSessions')
                .set({ completedAt: ctx.now().toISOString() })
                .where('id', '=', session.id)
                .where('completedAt', 'is', null)
                .executeTakeFirst();
              if (Number(used.numUpdatedRows) === 0) return false;
              await trx.insertInto('sandboxCards').values(card).execute();
              return true;
            },
            after: async (trx, after) => {
              if (outcome.challenge) challenge = await openSession(ctx, trx, after, 'challenge');
            },
          },
        );
        if (!updated) return gone(reply);
        if (challenge) return reply.redirect(sessionUrlOf(ctx, { id: challenge, purpose: 'challenge' }), 303);
        return finish(reply, updated, merchant);
      },
    );

    function finish(reply: FastifyReply, charge: Charge, merchant: string) {
      const back = safeReturnUrl(ctx, charge.returnUrl);
      if (back) return reply.redirect(back, 303);
      return send(
        reply,
        200,
        page('Done', `<h1>Done</h1><p>You can close this page and go back to ${escapeHtml(merchant)}.</p>`),
      );
    }

    app.get<{ Params: { sessionId: string } }>(
      '/challenge/:sessionId',
      { schema: { hide: true } },
      async (request, reply) => {
        const open = await openSessionOf(request.params.sessionId, 'challenge');
        if (!open) return gone(reply);
        const { session, charge, merchant } = open;
        const form = (outcome: 'complete' | 'fail', label: string, className: string) =>
          `<form method="post" action="/sandbox-gateway/challenge/${escapeHtml(session.id)}">
<input type="hidden" name="csrfToken" value="${escapeHtml(session.csrfToken)}">
<input type="hidden" name="outcome" value="${outcome}">
<button type="submit"${className ? ` class="${className}"` : ''}>${label}</button>
</form>`;
        return send(
          reply,
          200,
          page(
            'Confirm the payment',
            `${summary(charge, merchant)}
<p>Your card issuer asks you to confirm this ${charge.kind === 'card_setup' ? 'card' : 'payment'} (a sandbox stand-in for 3-D Secure).</p>
${form('complete', 'Complete authentication', '')}
${form('fail', 'Fail authentication', 'secondary')}`,
          ),
        );
      },
    );

    app.post<{ Params: { sessionId: string }; Body: Record<string, string> }>(
      '/challenge/:sessionId',
      { schema: { hide: true } },
      async (request, reply) => {
        const open = await openSessionOf(request.params.sessionId, 'challenge');
        if (!open) return gone(reply);
        const { session, charge, merchant } = open;
        const body = (request.body ?? {}) as Record<string, unknown>;
        if (!sameOriginPost(request) || !tokensMatch(body.csrfToken, session.csrfToken)) return refused(reply);
        if (body.outcome !== 'complete' && body.outcome !== 'fail') return refused(reply);
        const passed = body.outcome === 'complete';
        const updated = await transitionCharge(
          ctx,
          charge,
          {
            status: passed ? 'succeeded' : 'failed',
            failureCode: passed ? null : 'authentication_failed',
            failureMessage: passed ? null : 'The cardholder did not complete the authentication.',
          },
          {
            before: async (trx) => {
              const used = await trx
                .updateTable('sandboxCheckoutSessions')
                .set({ completedAt: ctx.now().toISOString() })
                .where('id', '=', session.id)
                .where('completedAt', 'is', null)
                .executeTakeFirst();
              return Number(used.numUpdatedRows) > 0;
            },
          },
        );
        if (!updated) return gone(reply);
        return finish(reply, updated, merchant);
      },
    );
  };
