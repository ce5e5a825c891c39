import { createHash, createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for PayPal's REST API, just what the adapter calls, speaking PayPal's wire format (OAuth client
 * credentials, snake_case JSON, PayPal's error bodies with `details[].issue`, PayPal-Request-Id idempotency). No
 * network.
 *
 * - `POST /v1/oauth2/token`: a client id containing `revoked` answers 401.
 * - Orders v2: create (currencies USD, EUR, GBP, JPY, CAD; others `CURRENCY_NOT_SUPPORTED`), get, capture (only an
 *   approved order; `ORDER_ALREADY_CAPTURED` after; a payer whose funding fails: `INSTRUMENT_DECLINED`).
 * - `POST /v2/payments/captures/{id}/refund`.
 * - `POST /v1/notifications/verify-webhook-signature`: SUCCESS only for headers this fake made (`deliveryHeaders`)
 *   for that very event and webhook id.
 * - `down = true`: every call answers 503.
 */
// biome-ignore lint/suspicious/noExplicitAny: PayPal objects are open-ended JSON here
type Json = Record<string, any>;

export interface FakePayPal {
  origin: string;
  requests: Array<{ method: string; path: string; headers: http.IncomingHttpHeaders; body: Json }>;
  orders: Map<string, Json>;
  /** Every call answers 503 while true. */
  down: boolean;
  /** What the payer does on PayPal's page: approve (`declines`: the funding source fails at capture). */
  approve(orderId: string, options?: { declines?: boolean }): Json;
  /** An event as PayPal sends it: the event around a copy of `resource`. */
  eventOf(type: string, resource: Json): string;
  /** The capture of an order (for PAYMENT.CAPTURE.* events). */
  captureOf(orderId: string): Json;
  /** The transmission headers PayPal signs a delivery with, for that webhook id, at `time`. */
  deliveryHeaders(body: string, webhookId: string, time?: Date): Record<string, string>;
  close(): Promise<void>;
}

const SIGNING_KEY = randomBytes(32);
const newId = (length = 17) => randomBytes(length).toString('hex').toUpperCase().slice(0, length);
const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'CAD'];

const signatureOf = (transmissionId: string, time: string, webhookId: string, body: string) =>
  createHmac('sha256', SIGNING_KEY)
    .update(`${transmissionId}|${time}|${webhookId}|${createHash('sha256').update(body).digest('hex')}`)
    .digest('base64');

export async function startFakePayPal(options: { clock?: () => Date } = {}): Promise<FakePayPal> {
  const now = () => options.clock?.() ?? new Date();
  const requests: FakePayPal['requests'] = [];
  const orders = new Map<string, Json>();
  const declining = new Set<string>();
  const tokens = new Set<string>();
  const idempotent = new Map<string, { status: number; body: Json }>();

  const problem = (status: number, name: string, issue: string, description = issue) => ({
    status,
    body: { name, message: description, details: [{ issue, description }] },
  });

  function createOrder(body: Json): { status: number; body: Json } {
    const unit = body.purchase_units?.[0];
    const currency = unit?.amount?.currency_code;
    if (!CURRENCIES.includes(currency)) {
      return problem(422, 'UNPROCESSABLE_ENTITY', 'CURRENCY_NOT_SUPPORTED', `${currency} is not supported.`);
    }
    const id = newId();
    const order = {
      id,
      intent: body.intent,
      status: 'PAYER_ACTION_REQUIRED',
      create_time: now().toISOString(),
      purchase_units: [{ ...unit, payments: undefined }],
      payment_source: body.payment_source,
      links: [
        { rel: 'self', href: `https://api-m.sandbox.paypal.test/v2/checkout/orders/${id}`, method: 'GET' },
        { rel: 'payer-action', href: `https://www.sandbox.paypal.test/checkoutnow?token=${id}`, method: 'GET' },
      ],
    };
    orders.set(id, order);
    return { status: 200, body: order };
  }

  function capture(id: string): { status: number; body: Json } {
    const order = orders.get(id);
    if (!order) return problem(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID');
    if (order.status === 'COMPLETED') return problem(422, 'UNPROCESSABLE_ENTITY', 'ORDER_ALREADY_CAPTURED');
    if (order.status !== 'APPROVED') return problem(422, 'UNPROCESSABLE_ENTITY', 'ORDER_NOT_APPROVED');
    if (declining.has(id)) {
      return problem(422, 'UNPROCESSABLE_ENTITY', 'INSTRUMENT_DECLINED', 'The instrument presented was declined.');
    }
    const unit = order.purchase_units[0];
    unit.payments = {
      captures: [
        {
          id: newId(),
          status: 'COMPLETED',
          amount: unit.amount,
          custom_id: unit.custom_id,
          final_capture: true,
          supplementary_data: { related_ids: { order_id: id } },
          create_time: now().toISOString(),
        },
      ],
    };
    order.status = 'COMPLETED';
    return { status: 201, body: order };
  }

  function refund(captureId: string, body: Json): { status: number; body: Json } {
    for (const order of orders.values()) {
      const unit = order.purchase_units[0];
      const captured = unit.payments?.captures?.find((c: Json) => c.id === captureId);
      if (!captured) continue;
      const made = {
        id: newId(),
        status: 'COMPLETED',
        amount: body.amount ?? captured.amount,
        custom_id: body.custom_id,
      };
      unit.payments.refunds = [...(unit.payments.refunds ?? []), made];
      captured.status = 'REFUNDED';
      return { status: 201, body: made };
    }
    return problem(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID');
  }

  function verify(body: Json): { status: number; body: Json } {
    const event = JSON.stringify(body.webhook_event ?? null);
    const expected = signatureOf(
      String(body.transmission_id),
      String(body.transmission_time),
      String(body.webhook_id),
      event,
    );
    const ok = body.transmission_sig === expected && body.auth_algo === 'SHA256withRSA';
    return { status: 200, body: { verification_status: ok ? 'SUCCESS' : 'FAILURE' } };
  }

  function route(method: string, path: string, headers: http.IncomingHttpHeaders, text: string) {
    if (fake.down) return { status: 503, body: { name: 'SERVICE_UNAVAILABLE', message: 'Down.' } };
    if (method === 'POST' && path === '/v1/oauth2/token') {
      const [clientId = ''] = Buffer.from(String(headers.authorization).replace(/^Basic /, ''), 'base64')
        .toString()
        .split(':');
      if (!clientId || clientId.includes('revoked')) {
        return { status: 401, body: { error: 'invalid_client', error_description: 'Client Authentication failed' } };
      }
      const token = `A21${newId(24)}`;
      tokens.add(token);
      return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: 32400 } };
    }
    if (!tokens.has(String(headers.authorization).replace(/^Bearer /, ''))) {
      return {
        status: 401,
        body: { error: 'invalid_token', error_description: 'Token signature verification failed' },
      };
    }
    const body = text ? (JSON.parse(text) as Json) : {};
    if (method === 'POST' && path === '/v1/notifications/verify-webhook-signature') return verify(body);
    const key = headers['paypal-request-id'];
    const once = (make: () => { status: number; body: Json }) => {
      if (typeof key !== 'string') return make();
      const scoped = `${path}|${key}`;
      const seen = idempotent.get(scoped);
      if (seen) return seen;
      const made = make();
      if (made.status < 300) idempotent.set(scoped, structuredClone(made));
      return made;
    };
    if (method === 'POST' && path === '/v2/checkout/orders') return once(() => createOrder(body));
    let match = /^\/v2\/checkout\/orders\/([A-Z0-9]+)$/.exec(path);
    if (method === 'GET' && match) {
      const order = orders.get(match[1] ?? '');
      return order ? { status: 200, body: order } : problem(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID');
    }
    match = /^\/v2\/checkout\/orders\/([A-Z0-9]+)\/capture$/.exec(path);
    if (method === 'POST' && match) return once(() => capture(match?.[1] ?? ''));
    match = /^\/v2\/payments\/captures\/([A-Z0-9]+)\/refund$/.exec(path);
    if (method === 'POST' && match) return once(() => refund(match?.[1] ?? '', body));
    return problem(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID', `${method} ${path}`);
  }

  const server = http.createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => {
      text += chunk;
    });
    request.on('end', () => {
      const path = (request.url ?? '').split('?')[0] ?? '';
      let answer: { status: number; body: Json };
      try {
        answer = route(request.method ?? '', path, request.headers, text);
      } catch (error) {
        answer = { status: 400, body: { name: 'INVALID_REQUEST', message: String(error) } };
      }
      requests.push({
        method: request.method ?? '',
        path,
        headers: request.headers,
        body: text.startsWith('{') ? JSON.parse(text) : {},
      });
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakePayPal = {
    origin: `http://127.0.0.1:${port}`,
    requests,
    orders,
    down: false,
    approve(orderId, approval = {}) {
      const order = orders.get(orderId);
      if (order?.status !== 'PAYER_ACTION_REQUIRED') throw new Error(`Order ${orderId} cannot be approved.`);
      order.status = 'APPROVED';
      order.payer = { payer_id: newId(13), email_address: 'payer@personal.example' };
      if (approval.declines) declining.add(orderId);
      return order;
    },
    eventOf(type, resource) {
      return JSON.stringify({
        id: `WH-${newId(17)}`,
        event_version: '1.0',
        create_time: now().toISOString(),
        resource_type: type.startsWith('CHECKOUT.') ? 'checkout-order' : 'capture',
        event_type: type,
        summary: type,
        resource: structuredClone(resource),
      });
    },
    captureOf(orderId) {
      const captured = orders.get(orderId)?.purchase_units[0].payments?.captures?.[0];
      if (!captured) throw new Error(`Order ${orderId} has no capture.`);
      return captured;
    },
    deliveryHeaders(body, webhookId, time = now()) {
      const transmissionId = randomBytes(16).toString('hex');
      const transmissionTime = time.toISOString();
      return {
        'content-type': 'application/json',
        'paypal-auth-algo': 'SHA256withRSA',
        'paypal-cert-url': 'https://api.sandbox.paypal.test/v1/notifications/certs/CERT-fake',
        'paypal-transmission-id': transmissionId,
        'paypal-transmission-time': transmissionTime,
        'paypal-transmission-sig': signatureOf(transmissionId, transmissionTime, webhookId, body),
      };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return fake;
}
