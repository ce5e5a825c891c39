import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { simpleParser } from 'mailparser';
import { createMailer, type Mailer, type OutgoingEmail, senderOf } from '../../src/notify/mailer.js';
import { enqueueEmail, enqueueTemplate } from '../../src/notify/outbox.js';
import {
  escapeHtml,
  type PortalInvitationData,
  renderEmail,
  SUBJECT_MAX_LENGTH,
  safeSubject,
} from '../../src/notify/templates.js';
import {
  deliverDueMessages,
  MAX_ATTEMPTS,
  type MailWorkerLogger,
  retryDelayMs,
  startMailWorker,
} from '../../src/notify/worker.js';
import { type MailTestContext, startMailTestContext } from '../support/smtp.js';

const START = '2026-03-15T10:00:00.000Z';

const invitation = (overrides: Partial<PortalInvitationData> = {}): PortalInvitationData => ({
  organizationName: 'Acme Studio',
  contactName: 'Ana Lima',
  portalUrl: 'http://portico.test/portal/acme/',
  username: 'ana@example.com',
  acceptUrl: 'http://portico.test/portal/acme/accept-invitation#token=abc123',
  expiresInDays: 7,
  ...overrides,
});

/** A transport that always fails the way an unreachable SMTP server does. */
function failingMailer(): Mailer & { calls: OutgoingEmail[] } {
  const calls: OutgoingEmail[] = [];
  return {
    kind: 'smtp',
    directory: null,
    calls,
    send: async (message) => {
      calls.push(message);
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ESOCKET' });
    },
    close: async () => {},
  };
}

function capturingLogger() {
  const lines: Array<{ level: 'error' | 'info'; details: object; message: string }> = [];
  const logger: MailWorkerLogger = {
    error: (details, message) => lines.push({ level: 'error', details, message }),
    info: (details, message) => lines.push({ level: 'info', details, message }),
  };
  return { lines, logger };
}

describe('the e-mail outbox', () => {
  let t: MailTestContext;
  let organizationId: string;

  const row = (id: string) =>
    t.ctx.db.kysely.selectFrom('outboxMessages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const enqueueInvitation = (to = 'ana@example.com', data = invitation()) =>
    enqueueTemplate(t.ctx.db.kysely, t.ctx.now(), { organizationId, to, template: 'portalInvitation', data });

  before(async () => {
    t = await startMailTestContext({ now: START });
    organizationId = await t.addOrganization('Acme & Sons <Studio>');
  });
  after(async () => {
    await t.close();
  });
  beforeEach(async () => {
    // One database for the file: every test starts with an empty outbox and the same time.
    await t.ctx.db.kysely.deleteFrom('outboxMessages').execute();
    t.clock.now = new Date(START);
  });

  test('a message enqueued in a transaction that rolls back is never written', async () => {
    await assert.rejects(
      t.ctx.db.kysely.transaction().execute(async (trx) => {
        await enqueueTemplate(trx, t.ctx.now(), {
          organizationId,
          to: 'ana@example.com',
          template: 'passwordReset',
          data: {
            organizationName: 'Acme',
            contactName: 'Ana',
            resetUrl: 'http://portico.test/portal/acme/reset-password#token=x',
            expiresInMinutes: 60,
          },
        });
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    const count = await t.ctx.db.kysely.selectFrom('outboxMessages').select('id').execute();
    assert.equal(count.length, 0);
  });

  test('a message enqueued in a transaction that commits is pending and due now', async () => {
    const id = await t.ctx.db.kysely.transaction().execute((trx) =>
      enqueueTemplate(trx, t.ctx.now(), {
        organizationId,
        to: 'ana@example.com',
        template: 'portalInvitation',
        data: invitation(),
      }),
    );
    assert.match(id, /^msg_[0-9a-z]{26}$/);
    const message = await row(id);
    assert.equal(message.status, 'pending');
    assert.equal(message.kind, 'email');
    assert.equal(message.template, 'portalInvitation');
    assert.equal(message.toAddress, 'ana@example.com');
    assert.equal(message.attempts, 0);
    assert.equal(message.nextAttemptAt, START);
    assert.equal(message.createdAt, START);
    assert.equal(message.subject, 'Acme Studio invited you to their client portal');
    assert.match(message.textBody, /accept-invitation#token=abc123/);
    assert.match(message.htmlBody, /accept-invitation#token=abc123/);
    assert.equal(message.attachments, '[]');
  });

  test('the embedded transport keeps the message in the database and writes a readable .eml under DATA_DIR/mail', async () => {
    const id = await enqueueInvitation('ana@example.com', invitation({ organizationName: 'Acme & Sons <Studio>' }));
    const mailer = createMailer({ ...t.ctx.config, mailFrom: 'Billing <billing@portico.test>' });
    assert.equal(mailer.kind, 'embedded');
    assert.equal(mailer.directory, path.join(t.ctx.config.dataDir, 'mail'));

    t.clock.now = new Date('2026-03-15T10:00:05.000Z');
    const result = await deliverDueMessages(t.ctx, mailer);
    assert.deepEqual(result, { claimed: 1, sent: 1, failed: 0, retried: 0 });

    const message = await row(id);
    assert.equal(message.status, 'sent');
    assert.equal(message.attempts, 1);
    assert.equal(message.sentAt, '2026-03-15T10:00:05.000Z');
    assert.equal(message.messageId, `<${id}@portico.test>`);
    assert.equal(message.lockedUntil, null);

    const directory = path.join(t.ctx.config.dataDir, 'mail');
    const files = readdirSync(directory);
    assert.deepEqual(files, [`2026-03-15T10-00-00-000Z-${id}.eml`]);
    const raw = readFileSync(path.join(directory, files[0] ?? ''), 'utf8');
    assert.ok(!raw.includes('\r\n'), 'unix line endings, as a text editor expects');
    assert.match(raw, /^Content-Type: text\/plain/m);
    assert.match(raw, /^Content-Type: text\/html/m);
    assert.match(raw, /^Auto-Submitted: auto-generated$/m);

    const parsed = await simpleParser(raw);
    assert.equal(parsed.subject, 'Acme & Sons <Studio> invited you to their client portal');
    assert.equal(parsed.messageId, `<${id}@portico.test>`);
    // The organization's name in front, MAIL_FROM's address behind it.
    assert.deepEqual(parsed.from?.value, [{ name: 'Acme & Sons <Studio>', address: 'billing@portico.test' }]);
    assert.equal(parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : null, 'ana@example.com');
    assert.match(
      parsed.text ?? '',
      /choose your password here:\nhttp:\/\/portico\.test\/portal\/acme\/accept-invitation#token=abc123/,
    );
    assert.match(parsed.text ?? '', /Sent by Acme & Sons <Studio>/);
    assert.match(String(parsed.html), /Acme &amp; Sons &lt;Studio&gt;/);
    assert.match(String(parsed.html), /href="http:\/\/portico\.test\/portal\/acme\/accept-invitation#token=abc123"/);

    // Sent once: nothing is due any more.
    assert.deepEqual(await deliverDueMessages(t.ctx, mailer), { claimed: 0, sent: 0, failed: 0, retried: 0 });
    assert.equal(readdirSync(directory).length, 1);
    await mailer.close();
  });

  test('without MAIL_FROM the sender is no-reply at the public host, named after the organization', async () => {
    assert.deepEqual(senderOf({ ...t.ctx.config, mailFrom: null }, {}), {
      name: 'Portico',
      address: 'no-reply@portico.test',
    });
    assert.deepEqual(senderOf(t.ctx.config, { MAIL_FROM: 'billing@example.com' }), {
      name: 'Portico',
      address: 'billing@example.com',
    });
    assert.deepEqual(senderOf(t.ctx.config, { MAIL_FROM: '"Acme, Billing" <billing@example.com>' }), {
      name: 'Acme, Billing',
      address: 'billing@example.com',
    });
    assert.throws(() => senderOf(t.ctx.config, { MAIL_FROM: 'not an address' }), /MAIL_FROM must look like/);
    assert.throws(() => senderOf(t.ctx.config, { MAIL_FROM: 'a@b.com, c@d.com' }), /MAIL_FROM must look like/);

    const id = await enqueueEmail(t.ctx.db.kysely, t.ctx.now(), {
      organizationId: null,
      to: 'someone@example.com',
      template: 'test',
      subject: 'No organization',
      text: 'Plain.',
      html: '<p>Plain.</p>',
    });
    const mailer = createMailer({ ...t.ctx.config, mailFrom: null });
    await deliverDueMessages(t.ctx, mailer);
    const message = await row(id);
    const raw = readFileSync(path.join(t.ctx.config.dataDir, 'mail', `2026-03-15T10-00-00-000Z-${id}.eml`), 'utf8');
    const parsed = await simpleParser(raw);
    assert.deepEqual(parsed.from?.value, [{ name: 'Portico', address: 'no-reply@portico.test' }]);
    assert.equal(message.messageId, `<${id}@portico.test>`);
  });

  test('a failing transport: retried with exponential back-off, then failed after the last attempt', async () => {
    const id = await enqueueInvitation();
    const mailer = failingMailer();
    const { lines, logger } = capturingLogger();

    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const now = t.clock.now;
      const result = await deliverDueMessages(t.ctx, mailer, { logger });
      const message = await row(id);
      assert.equal(message.attempts, attempt);
      assert.equal(message.lockedUntil, null);
      assert.equal(message.lastError, 'ESOCKET: connect ECONNREFUSED 127.0.0.1:25');
      if (attempt < MAX_ATTEMPTS) {
        assert.deepEqual(result, { claimed: 1, sent: 0, failed: 0, retried: 1 });
        assert.equal(message.status, 'pending');
        // 1 min, 2, 4, 8, 16, 32, then capped at 1 h; plus at most 10 % jitter.
        const base = Math.min(60_000 * 2 ** (attempt - 1), 3_600_000);
        const wait = Date.parse(message.nextAttemptAt) - now.getTime();
        assert.ok(wait >= base && wait <= base * 1.1, `attempt ${attempt}: waits ${wait} ms, expected ~${base}`);
        // Not due a moment before its time…
        t.clock.now = new Date(Date.parse(message.nextAttemptAt) - 1);
        assert.equal((await deliverDueMessages(t.ctx, mailer)).claimed, 0);
        // …due at its time.
        t.clock.now = new Date(message.nextAttemptAt);
      } else {
        assert.deepEqual(result, { claimed: 1, sent: 0, failed: 1, retried: 0 });
        assert.equal(message.status, 'failed');
      }
    }
    assert.equal(mailer.calls.length, MAX_ATTEMPTS);
    // A failed message stays failed: a person looks at it.
    t.clock.now = new Date('2027-01-01T00:00:00.000Z');
    assert.equal((await deliverDueMessages(t.ctx, mailer)).claimed, 0);
    assert.equal(mailer.calls.length, MAX_ATTEMPTS);

    assert.equal(lines.filter((l) => l.message.endsWith('will retry')).length, MAX_ATTEMPTS - 1);
    assert.equal(lines.filter((l) => l.message.endsWith('given up')).length, 1);
    // Logs name the message, not the recipient.
    assert.ok(lines.every((l) => !JSON.stringify(l).includes('ana@example.com')));
  });

  test('the back-off doubles from 1 minute up to 1 hour, with at most 10 % jitter', () => {
    assert.equal(
      retryDelayMs(1, () => 0),
      60_000,
    );
    assert.equal(
      retryDelayMs(2, () => 0),
      120_000,
    );
    assert.equal(
      retryDelayMs(3, () => 0),
      240_000,
    );
    assert.equal(
      retryDelayMs(6, () => 0),
      1_920_000,
    );
    assert.equal(
      retryDelayMs(7, () => 0),
      3_600_000,
    );
    assert.equal(
      retryDelayMs(30, () => 0),
      3_600_000,
    );
    assert.equal(
      retryDelayMs(1, () => 1),
      66_000,
    );
    assert.equal(
      retryDelayMs(30, () => 1),
      3_960_000,
    );
  });

  test('a message claimed by a worker that died is taken again once the claim has run out', async () => {
    const id = await enqueueInvitation();
    // The first worker claims the message and then hangs in the middle of the send (it died, as far as anyone knows).
    let abandon: (error: Error) => void = () => {};
    const hanging: Mailer = {
      kind: 'smtp',
      directory: null,
      send: () =>
        new Promise((_resolve, reject) => {
          abandon = reject;
        }),
      close: async () => {},
    };
    const firstWorker = deliverDueMessages(t.ctx, hanging, { lockSeconds: 120 });
    const embedded = createMailer(t.ctx.config);
    const claimed = async () => {
      for (let i = 0; i < 100; i += 1) {
        if ((await row(id)).status === 'sending') return;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      assert.fail('the first worker never claimed the message');
    };
    await claimed();
    assert.equal((await row(id)).lockedUntil, '2026-03-15T10:02:00.000Z');

    // While the claim holds, no other worker touches the message.
    t.clock.now = new Date('2026-03-15T10:01:59.999Z');
    assert.equal((await deliverDueMessages(t.ctx, embedded)).claimed, 0);

    // Once it has run out, another worker sends it.
    t.clock.now = new Date('2026-03-15T10:02:00.000Z');
    assert.deepEqual(await deliverDueMessages(t.ctx, embedded), { claimed: 1, sent: 1, failed: 0, retried: 0 });
    const sent = await row(id);
    assert.equal(sent.status, 'sent');
    assert.equal(sent.attempts, 2, 'the lost attempt counts');

    // When the first worker finally comes back with an error, it no longer owns the message: nothing changes.
    abandon(new Error('socket hang up'));
    assert.deepEqual(await firstWorker, { claimed: 1, sent: 0, failed: 0, retried: 0 });
    const after = await row(id);
    assert.equal(after.status, 'sent');
    assert.equal(after.lastError, null);
    await embedded.close();
  });

  test('templates escape user text in HTML, keep it readable in text, and keep subjects on one line', () => {
    const email = renderEmail('portalInvitation', {
      ...invitation(),
      organizationName: 'Evil "Org" <img src=x onerror=alert(1)>',
      contactName: '<script>alert("hi")</script>',
    });
    assert.match(email.html, /&lt;script&gt;alert\(&quot;hi&quot;\)&lt;\/script&gt;/);
    assert.ok(!email.html.includes('<script>'));
    assert.ok(!email.html.includes('<img src=x'));
    assert.match(email.html, /Evil &quot;Org&quot; &lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(email.text, /^Hello <script>alert\("hi"\)<\/script>,$/m);
    assert.match(email.text, /^Sent by Evil "Org" <img src=x onerror=alert\(1\)>$/m);

    // The organization is the sender: its name heads the e-mail and signs it; Portico's brand is nowhere.
    const plain = renderEmail('portalInvitation', invitation());
    assert.match(plain.html, /font-weight:600;color:#1f2933;">Acme Studio<\/td>/);
    assert.match(plain.html, /Sent by Acme Studio/);
    assert.ok(!/portico/i.test(plain.html.replaceAll('portico.test', '')));
    assert.ok(!/portico/i.test(plain.text.replaceAll('portico.test', '')));
    assert.ok(!plain.html.includes('<style'), 'inline styles only');

    // Header injection through a name in the subject: CR/LF and other control characters become spaces.
    const injected = renderEmail('passwordReset', {
      organizationName: 'Acme\r\nBcc: victim@example.com\n',
      contactName: 'Ana',
      resetUrl: 'http://portico.test/portal/acme/reset-password#token=x',
      expiresInMinutes: 60,
    });
    assert.equal(injected.subject, 'Reset your password for the Acme Bcc: victim@example.com client portal');
    assert.ok(!/[\r\n]/.test(injected.subject));
    assert.match(injected.text, /expires in 1 hour\./);

    assert.equal(safeSubject('a\r\nb\tc\u2028d\u0000e'), 'a b c d e');
    const long = safeSubject('x'.repeat(500));
    assert.equal(long.length, SUBJECT_MAX_LENGTH);
    assert.ok(long.endsWith('…'));
    assert.equal(
      escapeHtml(`<a href="x" title='y'>&</a>`),
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );

    // A link that is not http(s) never reaches an e-mail.
    assert.throws(
      () => renderEmail('portalInvitation', invitation({ acceptUrl: 'javascript:alert(1)' })),
      /http or https/,
    );
  });

  test('every template has a subject, a readable text part and an HTML part', () => {
    const changed = renderEmail('passwordChanged', {
      organizationName: 'Acme Studio',
      contactName: null,
      portalUrl: 'http://portico.test/portal/acme/',
      changedAt: '2026-03-15T10:00:00.000Z',
      timeZone: 'Europe/Lisbon',
    });
    assert.equal(changed.subject, 'Your password for the Acme Studio client portal was changed');
    assert.match(changed.text, /^Hello,$/m);
    assert.match(changed.text, /was changed on 15 March 2026 at 10:00 (GMT|WET|UTC)/);
    assert.match(changed.text, /Forgot password/);
    assert.match(changed.html, /href="http:\/\/portico\.test\/portal\/acme\/"/);

    const reset = renderEmail('passwordReset', {
      organizationName: 'Acme Studio',
      contactName: 'Ana',
      resetUrl: 'http://portico.test/portal/acme/reset-password#token=r1',
      expiresInMinutes: 90,
    });
    assert.match(reset.text, /^Hello Ana,$/m);
    assert.match(reset.text, /\nhttp:\/\/portico\.test\/portal\/acme\/reset-password#token=r1\n/);
    assert.match(reset.text, /expires in 90 minutes/);
    assert.match(reset.html, /Choose a new password/);

    const invite = renderEmail('portalInvitation', invitation({ expiresInDays: 1 }));
    assert.match(invite.text, /Your username is your e-mail address: ana@example\.com/);
    assert.match(invite.text, /expires in 1 day\./);
    for (const email of [changed, reset, invite]) {
      assert.ok(email.text.endsWith('-- \nSent by Acme Studio\n'));
      assert.ok(!email.text.includes('<'), 'no markup in the text part');
      assert.match(email.html, /^<!DOCTYPE html>/);
    }
  });

  test('enqueueing refuses a recipient that could add recipients or headers, and flattens the subject', async () => {
    const base = { organizationId, template: 'test', subject: 'Hi', text: 'Hi', html: '<p>Hi</p>' };
    for (const to of [
      'a@example.com\r\nBcc: b@example.com',
      'a@example.com, b@example.com',
      'Ana <a@example.com>',
      '',
    ]) {
      await assert.rejects(enqueueEmail(t.ctx.db.kysely, t.ctx.now(), { ...base, to }), /one plain recipient/);
    }
    const id = await enqueueEmail(t.ctx.db.kysely, t.ctx.now(), {
      ...base,
      to: ' ana+billing@example.com ',
      subject: 'Invoice\r\nBcc: victim@example.com',
      attachments: [{ filename: '../../etc/passwd\n.pdf', contentType: 'application/pdf', contentBase64: 'JVBERi0=' }],
    });
    const message = await row(id);
    assert.equal(message.toAddress, 'ana+billing@example.com');
    assert.equal(message.subject, 'Invoice Bcc: victim@example.com');
    assert.deepEqual(JSON.parse(message.attachments), [
      { filename: '.._.._etc_passwd .pdf', contentType: 'application/pdf', contentBase64: 'JVBERi0=' },
    ]);
  });

  test('attachments travel with the message', async () => {
    const id = await enqueueEmail(t.ctx.db.kysely, t.ctx.now(), {
      organizationId,
      to: 'ana@example.com',
      template: 'test',
      subject: 'Your invoice',
      text: 'Attached.',
      html: '<p>Attached.</p>',
      attachments: [
        {
          filename: 'INV-0001.pdf',
          contentType: 'application/pdf',
          contentBase64: Buffer.from('%PDF-1.7').toString('base64'),
        },
      ],
    });
    const mailer = createMailer(t.ctx.config);
    await deliverDueMessages(t.ctx, mailer);
    const raw = readFileSync(path.join(t.ctx.config.dataDir, 'mail', `2026-03-15T10-00-00-000Z-${id}.eml`));
    const parsed = await simpleParser(raw);
    assert.equal(parsed.attachments.length, 1);
    assert.equal(parsed.attachments[0]?.filename, 'INV-0001.pdf');
    assert.equal(parsed.attachments[0]?.content.toString(), '%PDF-1.7');
  });

  test('the worker loop delivers in batches until nothing is due, logs failures and never throws', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(await enqueueInvitation(`client${i}@example.com`));
    const { lines, logger } = capturingLogger();
    const mailer = createMailer(t.ctx.config);
    const worker = startMailWorker(t.ctx, { intervalMs: 60_000, logger, mailer, batchSize: 2 });
    const total = await worker.runNow();
    // The tick started at once joins this run: everything due is sent once.
    const statuses = await t.ctx.db.kysely.selectFrom('outboxMessages').select('status').execute();
    assert.ok(statuses.every((s) => s.status === 'sent'));
    assert.equal(total.sent, 5);
    await worker.stop();
    for (const id of ids)
      assert.ok(existsSync(path.join(mailer.directory ?? '', `2026-03-15T10-00-00-000Z-${id}.eml`)));
    assert.ok(lines.some((l) => l.message === 'e-mails delivered'));

    // A broken database or transport is logged, not thrown.
    await enqueueInvitation();
    const broken: Mailer = {
      ...failingMailer(),
      send: async () => {
        throw new Error('transport exploded');
      },
    };
    const quiet = capturingLogger();
    const failing = startMailWorker(t.ctx, { intervalMs: 60_000, logger: quiet.logger, mailer: broken });
    const result = await failing.runNow();
    assert.equal(result.retried + result.sent, result.claimed);
    await failing.stop();
    assert.ok(quiet.lines.some((l) => l.level === 'error'));

    const closed: Mailer = { ...broken };
    const exploding = startMailWorker(
      {
        ...t.ctx,
        now: () => {
          throw new Error('clock stopped');
        },
      },
      { intervalMs: 60_000, logger: quiet.logger, mailer: closed },
    );
    assert.deepEqual(await exploding.runNow(), { claimed: 0, sent: 0, failed: 0, retried: 0 });
    await exploding.stop();
    assert.ok(quiet.lines.some((l) => l.message === 'e-mail delivery failed; it will be tried again'));
  });
});
