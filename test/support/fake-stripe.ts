import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Stripe from 'stripe';

/**
 * A local stand-in for the Stripe API, just the endpoints the adapter calls, speaking Stripe's wire format
 * (form-encoded bodies with bracketed keys, JSON answers, Stripe's error objects). No network.
 *
 * Magic values: secret keys containing `revoked` answer 401, `outage` answer 500 (with `Stripe-Should-Retry: false`);
 * payment methods `pm_card_chargeDeclinedFraudulent`, `pm_card_incorrectZip`, `pm_card_insufficientFunds`
 * decline; currencies other than usd/eur/gbp/jpy are invalid; usd amounts under 50 are `amount_too_small`.
 * Checkout sessions keep Stripe's rules for `expires_at` (30 minutes to 24 hours ahead, by the fake's clock), can
 * be expired (`POST /v1/checkout/sessions/{id}/expire`, open ones only) and then can no longer be paid.
 */
// biome-ignore lint/suspicious/noExplicitAny: Stripe objects are open-ended JSON here
type Json = Record<string, any>;

export interface FakeStripe {
  endpoint: { host: string; port: number; protocol: 'http' };
  requests: Array<{ method: string; path: string; headers: http.IncomingHttpHeaders; body: Json }>;
  intents: Map<string, Json>;
  sessions: Map<string, Json>;
  /**
   * What Checkout does when the client pays on the hosted page (throws when the session is not open). `delayed`:
   * a payment method whose outcome comes later (a bank debit): the session completes unpaid, the PaymentIntent
   * is processing until `finishDelayedPayment`.
   */
  completeCheckout(sessionId: string, paymentMethod?: string, options?: { delayed?: boolean }): Json;
  finishDelayedPayment(sessionId: string, outcome: 'succeeded' | 'failed'): Json;
  /** What Stripe does at a session's `expires_at`. */
  expireCheckout(sessionId: string): Json;
  /** An event as Stripe sends it to a webhook endpoint: the Event object around a copy of `object`. */
  eventOf(type: Stripe.Event.Type, object: Json): string;
  close(): Promise<void>;
}

/** `a[b][0]=x&a[c]=y` → `{a: {b: {0: 'x'}, c: 'y'}}`, as Stripe reads its bodies. */
export function parseStripeForm(text: string): Json {
  const out: Json = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.replace(/\]/g, '').split('[');
    let node = out;
    for (const [i, part] of path.entries()) {
      if (i === path.length - 1) node[part] = value;
      else {
        node[part] ??= {};
        node = node[part];
      }
    }
  }
  return out;
}

const id = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`;

/** `clock`: the fake's time (a test's moved clock); the real time when absent. */
export async function startFakeStripe(options: { clock?: () => Date } = {}): Promise<FakeStripe> {
  const now = () => Math.floor((options.clock?.() ?? new Date()).getTime() / 1000);
  const requests: FakeStripe['requests'] = [];
  const intents = new Map<string, Json>();
  const sessions = new Map<string, Json>();
  const setupIntents = new Map<string, Json>();
  const idempotent = new Map<string, { status: number; body: Json }>();

  const chargeOf = (intent: Json) => ({
    id: id('ch'),
    object: 'charge',
    amount: intent.amount,
    amount_refunded: intent.amount_refunded ?? 0,
    currency: intent.currency,
    payment_intent: intent.id,
    metadata: intent.metadata,
    payment_method_details: { type: 'card', card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030 } },
  });

  function newIntent(fields: Json): Json {
    const intent = {
      id: id('pi'),
      object: 'payment_intent',
      created: now(),
      amount: Number(fields.amount),
      currency: fields.currency,
      metadata: fields.metadata ?? {},
      description: fields.description ?? null,
      customer: fields.customer ?? null,
      payment_method: fields.payment_method ?? null,
      status: 'requires_payment_method',
      last_payment_error: null,
      latest_charge: null as Json | null,
      next_action: null,
      cancellation_reason: null,
      amount_refunded: 0,
    };
    intents.set(intent.id, intent);
    return intent;
  }

  const cardError = (intent: Json, code: string, decline: string | undefined, message: string) => {
    const error = { type: 'card_error', code, ...(decline ? { decline_code: decline } : {}), message };
    intent.status = 'requires_payment_method';
    intent.last_payment_error = error;
    return { status: 402, body: { error: { ...error, payment_intent: intent } } };
  };

  function confirm(intent: Json, paymentMethod: string): { status: number; body: Json } | null {
    intent.payment_method = paymentMethod;
    if (paymentMethod === 'pm_card_chargeDeclinedFraudulent') {
      return cardError(intent, 'card_declined', 'fraudulent', 'Your card was declined.');
    }
    if (paymentMethod === 'pm_card_incorrectZip') {
      return cardError(intent, 'incorrect_zip', undefined, "The card's zip code failed validation.");
    }
    if (paymentMethod === 'pm_card_insufficientFunds') {
      return cardError(intent, 'card_declined', 'insufficient_funds', 'Your card has insufficient funds.');
    }
    intent.status = 'succeeded';
    intent.latest_charge = chargeOf(intent);
    return null;
  }

  const invalid = (message: string, extra: Json = {}) => ({
    status: 400,
    body: { error: { type: 'invalid_request_error', message, ...extra } },
  });
  const missing = (what: string) => ({
    status: 404,
    body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what}` } },
  });

  function checkMoney(currency: string, amount: number) {
    if (!['usd', 'eur', 'gbp', 'jpy'].includes(currency)) {
      return invalid(`Invalid currency: ${currency}.`, { param: 'currency' });
    }
    if (currency === 'usd' && amount < 50) {
      return invalid('Amount must be at least $0.50 usd', { code: 'amount_too_small', param: 'amount' });
    }
    return null;
  }

  /** Expands the ids a request asked for (the adapter asks for what it reads). */
  function expandSession(session: Json, query: string): Json {
    const out = { ...session };
    if (query.includes('expand') && typeof session.payment_intent === 'string') {
      out.payment_intent = intents.get(session.payment_intent);
    }
    if (query.includes('expand') && typeof session.setup_intent === 'string') {
      out.setup_intent = setupIntents.get(session.setup_intent);
    }
    return out;
  }

  function expire(session: Json): Json {
    session.status = 'expired';
    session.url = null;
    const intent = session.payment_intent ? intents.get(session.payment_intent) : undefined;
    if (intent && intent.status !== 'succeeded') {
      intent.status = 'canceled';
      intent.cancellation_reason = 'abandoned';
    }
    return session;
  }

  function route(method: string, path: string, query: string, body: Json, key: string) {
    if (key.includes('revoked')) {
      return { status: 401, body: { error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' } } };
    }
    if (key.includes('outage')) return { status: 500, body: { error: { type: 'api_error', message: 'Oops.' } } };

    if (method === 'POST' && path === '/v1/checkout/sessions') {
      const item = body.line_items?.[0]?.price_data;
      if (body.mode === 'payment') {
        const problem = checkMoney(item.currency, Number(item.unit_amount));
        if (problem) return problem;
      }
      const created = now();
      const expiresAt = body.expires_at === undefined ? created + 24 * 3600 : Number(body.expires_at);
      if (expiresAt < created + 30 * 60 || expiresAt > created + 24 * 3600) {
        return invalid('The `expires_at` timestamp must be between 30 minutes and 24 hours from now.', {
          param: 'expires_at',
        });
      }
      // The fields of Stripe's Checkout Session object that Portico reads or sends, typed by the library.
      const session: Pick<
        Stripe.Checkout.Session,
        | 'id'
        | 'object'
        | 'mode'
        | 'status'
        | 'payment_status'
        | 'url'
        | 'amount_total'
        | 'currency'
        | 'client_reference_id'
        | 'customer_email'
        | 'metadata'
        | 'success_url'
        | 'cancel_url'
        | 'created'
        | 'expires_at'
        | 'livemode'
      > &
        Json = {
        id: id('cs'),
        object: 'checkout.session',
        mode: body.mode,
        status: 'open',
        payment_status: body.mode === 'setup' ? 'no_payment_required' : 'unpaid',
        url: `https://checkout.stripe.test/c/pay/${randomBytes(8).toString('hex')}`,
        amount_total: item ? Number(item.unit_amount) : null,
        currency: item?.currency ?? body.currency ?? null,
        client_reference_id: body.client_reference_id ?? null,
        customer: body.customer ?? null,
        customer_email: body.customer_email ?? null,
        metadata: body.metadata ?? {},
        payment_intent: null as string | null,
        setup_intent: null as string | null,
        success_url: body.success_url,
        cancel_url: body.cancel_url ?? null,
        created,
        expires_at: expiresAt,
        livemode: false,
        payment_intent_data: body.payment_intent_data ?? {},
        setup_intent_data: body.setup_intent_data ?? {},
      };
      sessions.set(session.id, session);
      return { status: 200, body: session };
    }
    let match = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/.exec(path);
    if (method === 'POST' && match) {
      const session = sessions.get(match[1] ?? '');
      if (!session) return missing('checkout.session');
      if (session.status !== 'open') {
        return invalid('Only Checkout Sessions with a status in ["open"] can be expired.');
      }
      return { status: 200, body: expire(session) };
    }
    match = /^\/v1\/payment_intents\/([^/]+)\/cancel$/.exec(path);
    if (method === 'POST' && match) {
      const intent = intents.get(match[1] ?? '');
      if (!intent) return missing('payment_intent');
      if (intent.status === 'succeeded' || intent.status === 'canceled') {
        return invalid(`You cannot cancel this PaymentIntent because it has a status of ${intent.status}.`);
      }
      intent.status = 'canceled';
      intent.cancellation_reason = 'requested_by_customer';
      return { status: 200, body: intent };
    }
    match = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path);
    if (method === 'GET' && match) {
      const session = sessions.get(match[1] ?? '');
      return session ? { status: 200, body: expandSession(session, query) } : missing('checkout.session');
    }
    if (method === 'GET' && path === '/v1/payment_intents/search') {
      const q = new URLSearchParams(query).get('query') ?? '';
      const wanted = /metadata\['reference'\]:'([^']*)'/.exec(q)?.[1];
      const data = [...intents.values()].filter((intent) => intent.metadata?.reference === wanted);
      return { status: 200, body: { object: 'search_result', data, has_more: false, url: path } };
    }
    if (method === 'POST' && path === '/v1/payment_intents') {
      const problem = checkMoney(body.currency, Number(body.amount));
      if (problem) return problem;
      const intent = newIntent(body);
      if (body.confirm === 'true') {
        const declined = confirm(intent, body.payment_method);
        if (declined) return declined;
      }
      return { status: 200, body: intent };
    }
    match = /^\/v1\/payment_intents\/([^/]+)$/.exec(path);
    if (method === 'GET' && match) {
      const intent = intents.get(match[1] ?? '');
      return intent ? { status: 200, body: intent } : missing('payment_intent');
    }
    if (method === 'POST' && path === '/v1/customers') {
      return {
        status: 200,
        body: { id: id('cus'), object: 'customer', name: body.name, metadata: body.metadata ?? {} },
      };
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const intent = intents.get(body.payment_intent);
      if (!intent) return missing('payment_intent');
      const amount = Number(body.amount);
      if (intent.amount_refunded + amount > intent.amount) {
        return invalid('Refund amount is greater than unrefunded amount on charge', { code: 'amount_too_large' });
      }
      intent.amount_refunded += amount;
      if (intent.latest_charge) intent.latest_charge.amount_refunded = intent.amount_refunded;
      return {
        status: 200,
        body: { id: id('re'), object: 'refund', amount, status: 'succeeded', payment_intent: intent.id },
      };
    }
    return missing(path);
  }

  const server = http.createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => {
      text += chunk;
    });
    request.on('end', () => {
      const [path = '', query = ''] = (request.url ?? '').split('?');
      const body = parseStripeForm(text);
      const method = request.method ?? 'GET';
      requests.push({ method, path, headers: request.headers, body });
      const key = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
      const idempotencyKey = request.headers['idempotency-key'];
      let result: { status: number; body: Json };
      const remembered = typeof idempotencyKey === 'string' ? idempotent.get(`${key}:${idempotencyKey}`) : undefined;
      if (remembered) {
        result = remembered;
      } else {
        result = route(method, path, query, body, key);
        if (typeof idempotencyKey === 'string' && result.status < 500) {
          idempotent.set(`${key}:${idempotencyKey}`, result);
        }
      }
      response.statusCode = result.status;
      response.setHeader('content-type', 'application/json');
      response.setHeader('request-id', id('req'));
      if (result.status >= 500) response.setHeader('stripe-should-retry', 'false');
      response.end(JSON.stringify(result.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: { host: '127.0.0.1', port, protocol: 'http' },
    requests,
    intents,
    sessions,
    completeCheckout(sessionId, paymentMethod = 'pm_card_visa', options = {}) {
      const session = sessions.get(sessionId);
      if (!session) throw new Error(`no session ${sessionId}`);
      if (session.status !== 'open') throw new Error(`session ${sessionId} is ${session.status}: it cannot be paid`);
      if (session.mode === 'setup') {
        const setupIntent = {
          id: id('seti'),
          object: 'setup_intent',
          status: 'succeeded',
          customer: session.customer,
          payment_method: id('pm'),
          metadata: session.setup_intent_data.metadata ?? {},
        };
        setupIntents.set(setupIntent.id, setupIntent);
        session.setup_intent = setupIntent.id;
      } else {
        const intent = newIntent({
          amount: session.amount_total,
          currency: session.currency,
          metadata: session.payment_intent_data.metadata,
          description: session.payment_intent_data.description,
        });
        session.payment_intent = intent.id;
        if (options.delayed) {
          intent.payment_method = paymentMethod;
          intent.status = 'processing';
        } else {
          confirm(intent, paymentMethod);
          // A declined card leaves the session open: the client may try another card on the same page.
          if (intent.status !== 'succeeded') return session;
        }
        session.payment_status = intent.status === 'succeeded' ? 'paid' : 'unpaid';
      }
      session.status = 'complete';
      session.url = null;
      return session;
    },
    finishDelayedPayment(sessionId, outcome) {
      const session = sessions.get(sessionId);
      const intent = session?.payment_intent ? intents.get(session.payment_intent) : undefined;
      if (!session || intent?.status !== 'processing') throw new Error(`no delayed payment on ${sessionId}`);
      if (outcome === 'succeeded') {
        intent.status = 'succeeded';
        intent.latest_charge = chargeOf(intent);
        session.payment_status = 'paid';
      } else {
        intent.status = 'requires_payment_method';
        intent.last_payment_error = { type: 'invalid_request_error', code: 'payment_method_provider_decline' };
      }
      return session;
    },
    expireCheckout(sessionId) {
      const session = sessions.get(sessionId);
      if (session?.status !== 'open') throw new Error(`session ${sessionId} is not open`);
      return expire(session);
    },
    eventOf(type, object) {
      const event = {
        id: id('evt'),
        object: 'event',
        api_version: '2026-10-28.endive',
        created: now(),
        data: { object: structuredClone(object) },
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type,
      } satisfies Omit<Stripe.Event, 'data' | 'type'> & { data: { object: Json }; type: Stripe.Event.Type };
      return JSON.stringify(event);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
