import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { AppContext } from '../../src/context.js';
import { openDatabase } from '../../src/db/database.js';
import { createMailer } from '../../src/notify/mailer.js';
import { enqueueEmail, enqueueTemplate } from '../../src/notify/outbox.js';
import { type DeliveryResult, deliverDueMessages } from '../../src/notify/worker.js';
import { type MailTestContext, startMailTestContext, startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

/** E-mail through a real SMTP server started by the test, as with SMTP_URL in production. */
describe('e-mail delivery over SMTP', () => {
  let t: MailTestContext;
  let smtp: TestSmtpServer;
  let organizationId: string;

  const row = (id: string) =>
    t.ctx.db.kysely.selectFrom('outboxMessages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  before(async () => {
    t = await startMailTestContext();
    smtp = await startSmtpServer({ rejectRecipient: (address) => address.startsWith('nobody@') });
    organizationId = await t.addOrganization('Acme & Sons');
  });
  after(async () => {
    await smtp.close();
    await t.close();
  });
  beforeEach(async () => {
    await t.ctx.db.kysely.deleteFrom('outboxMessages').execute();
    smtp.messages.length = 0;
  });

  test('a message arrives with the right recipient, subject, sender and both parts', async () => {
    const id = await t.ctx.db.kysely.transaction().execute((trx) =>
      enqueueTemplate(trx, t.ctx.now(), {
        organizationId,
        to: 'ana@example.com',
        template: 'portalInvitation',
        data: {
          organizationName: 'Acme & Sons',
          contactName: '<script>alert(1)</script> Ana',
          portalUrl: 'http://portico.test/portal/acme/',
          username: 'ana@example.com',
          acceptUrl: 'http://portico.test/portal/acme/accept-invitation#token=t0k3n',
          expiresInDays: 7,
        },
      }),
    );
    const mailer = createMailer({ ...t.ctx.config, smtpUrl: smtp.url, mailFrom: 'billing@portico.test' });
    assert.equal(mailer.kind, 'smtp');
    try {
      assert.deepEqual(await deliverDueMessages(t.ctx, mailer), { claimed: 1, sent: 1, failed: 0, retried: 0 });
    } finally {
      await mailer.close();
    }
    await smtp.waitFor((messages) => messages.length === 1);

    const [received] = smtp.messages;
    assert.ok(received);
    assert.deepEqual(received.envelope, { from: 'billing@portico.test', to: ['ana@example.com'] });
    const mail = received.parsed;
    assert.equal(mail.subject, 'Acme & Sons invited you to their client portal');
    assert.deepEqual(mail.from?.value, [{ name: 'Acme & Sons', address: 'billing@portico.test' }]);
    assert.equal(mail.to && !Array.isArray(mail.to) ? mail.to.text : null, 'ana@example.com');
    assert.equal(mail.messageId, `<${id}@portico.test>`);
    assert.match(mail.text ?? '', /^Hello <script>alert\(1\)<\/script> Ana,$/m);
    assert.match(mail.text ?? '', /accept-invitation#token=t0k3n/);
    assert.match(String(mail.html), /Hello &lt;script&gt;alert\(1\)&lt;\/script&gt; Ana,/);
    assert.match(String(mail.html), /href="http:\/\/portico\.test\/portal\/acme\/accept-invitation#token=t0k3n"/);

    const message = await row(id);
    assert.equal(message.status, 'sent');
    assert.equal(message.messageId, `<${id}@portico.test>`);
  });

  test('a recipient the server refuses for good fails at once, without retries', async () => {
    const id = await enqueueEmail(t.ctx.db.kysely, t.ctx.now(), {
      organizationId,
      to: 'nobody@example.com',
      template: 'test',
      subject: 'Hello',
      text: 'Hello',
      html: '<p>Hello</p>',
    });
    const mailer = createMailer({ ...t.ctx.config, smtpUrl: smtp.url });
    try {
      assert.deepEqual(await deliverDueMessages(t.ctx, mailer), { claimed: 1, sent: 0, failed: 1, retried: 0 });
    } finally {
      await mailer.close();
    }
    const message = await row(id);
    assert.equal(message.status, 'failed');
    assert.equal(message.attempts, 1);
    assert.match(message.lastError ?? '', /550/);
    assert.equal(smtp.messages.length, 0);
  });

  test('an unreachable SMTP server: the message waits for its next attempt', async () => {
    const id = await enqueueEmail(t.ctx.db.kysely, t.ctx.now(), {
      organizationId,
      to: 'ana@example.com',
      template: 'test',
      subject: 'Hello',
      text: 'Hello',
      html: '<p>Hello</p>',
    });
    // A port nobody listens on (the test server's, once closed).
    const gone = await startSmtpServer();
    const url = gone.url;
    await gone.close();
    const mailer = createMailer({ ...t.ctx.config, smtpUrl: url });
    try {
      assert.deepEqual(await deliverDueMessages(t.ctx, mailer), { claimed: 1, sent: 0, failed: 0, retried: 1 });
    } finally {
      await mailer.close();
    }
    const message = await row(id);
    assert.equal(message.status, 'pending');
    assert.equal(message.attempts, 1);
    assert.ok(message.nextAttemptAt > t.ctx.now().toISOString());
    assert.match(message.lastError ?? '', /ECONNREFUSED/);
  });

  test('two workers at once deliver each of 200 messages exactly once', async () => {
    const total = 200;
    const tokens: string[] = [];
    const ids = await t.ctx.db.kysely.transaction().execute(async (trx) => {
      const made: string[] = [];
      for (let i = 0; i < total; i += 1) {
        const token = `tok-${String(i).padStart(3, '0')}`;
        tokens.push(token);
        made.push(
          await enqueueEmail(trx, t.ctx.now(), {
            organizationId,
            to: `client${i}@example.com`,
            template: 'test',
            subject: `Delivery check ${token}`,
            text: `Token ${token}`,
            html: `<p>Token ${token}</p>`,
          }),
        );
      }
      return made;
    });

    // Two independent workers, as two instances of Portico: their own database connection (pool) and SMTP pool.
    const second = openDatabase(t.database.url);
    const workers: Array<{ ctx: AppContext; mailer: ReturnType<typeof createMailer>; totals: DeliveryResult }> = [
      { ctx: t.ctx, mailer: createMailer({ ...t.ctx.config, smtpUrl: smtp.url }) },
      { ctx: { ...t.ctx, db: second }, mailer: createMailer({ ...t.ctx.config, smtpUrl: smtp.url }) },
    ].map((w) => ({ ...w, totals: { claimed: 0, sent: 0, failed: 0, retried: 0 } }));

    const loop = async (worker: (typeof workers)[number]) => {
      for (;;) {
        const result = await deliverDueMessages(worker.ctx, worker.mailer, { batchSize: 7 });
        if (result.claimed === 0) return;
        worker.totals.claimed += result.claimed;
        worker.totals.sent += result.sent;
        worker.totals.failed += result.failed;
        worker.totals.retried += result.retried;
      }
    };
    try {
      await Promise.all(workers.map(loop));
    } finally {
      for (const worker of workers) await worker.mailer.close();
      await second.close();
    }

    // Both took part, and between them they sent every message once.
    const [a, b] = workers.map((w) => w.totals);
    assert.ok(a && b);
    assert.ok(a.sent > 0 && b.sent > 0, `both workers sent messages (${a.sent} and ${b.sent})`);
    assert.equal(a.sent + b.sent, total);
    assert.equal(a.claimed + b.claimed, total);
    assert.equal(a.failed + b.failed + a.retried + b.retried, 0);

    await smtp.waitFor((messages) => messages.length >= total);
    const seen = new Map<string, number>();
    for (const message of smtp.messages) {
      const token = /tok-\d{3}/.exec(message.parsed.subject ?? '')?.[0] ?? 'none';
      seen.set(token, (seen.get(token) ?? 0) + 1);
    }
    assert.equal(smtp.messages.length, total, 'no message arrived twice');
    assert.deepEqual([...seen.keys()].sort(), tokens);
    assert.ok([...seen.values()].every((count) => count === 1));
    const messageIds = new Set(smtp.messages.map((m) => m.parsed.messageId));
    assert.deepEqual([...messageIds].sort(), ids.map((id) => `<${id}@portico.test>`).sort());

    const rows = await t.ctx.db.kysely.selectFrom('outboxMessages').select(['status', 'attempts']).execute();
    assert.equal(rows.length, total);
    assert.ok(rows.every((r) => r.status === 'sent' && r.attempts === 1));
  });
});
