import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { simpleParser } from 'mailparser';
import { createMailer } from '../../src/notify/mailer.js';
import { deliverDueMessages } from '../../src/notify/worker.js';
import { createInvoice } from '../support/books.js';
import { type Actor, createOrgAndSignIn, type Harness, startHarness } from '../support/harness.js';
import { assertStatus, GOOD_CARD, mailTo, pay, payWorld } from '../support/pay.js';
import { HAS_PDFTOTEXT, NO_PDFTOTEXT_REASON, pdfText, squeeze } from '../support/pdf.js';
import {
  activatedClient,
  customerWithContacts,
  enablePortal,
  type PortalClient,
  portalClient,
  tokenFromOutbox,
} from '../support/portal.js';

/**
 * Each contact person's language (issue 19): chosen in the portal or set by the business, null following the
 * organization's locale; the e-mails sent to them and their PDFs are in it. The done-when of the issue: a contact
 * who picks German receives the next invoice e-mail and its PDF in German, read from the delivered .eml.
 */
describe("a contact person's language", () => {
  let harness: Harness;
  let owner: Actor;
  let slug: string;
  let client: PortalClient;
  let customerId: string;
  let clientId: string;
  let primaryId: string;
  const CLIENT = 'greta@sprache.example';
  const PRIMARY = 'primary@sprache.example';

  const json = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
    const response = await owner.request({ method, url, ...(payload ? { payload } : {}) });
    assert.ok(response.statusCode < 300, `${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const storedLanguage = async (id: string) =>
    (
      await harness.ctx.db.kysely
        .selectFrom('contactPersons')
        .select('language')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).language;
  const assertProblem = (response: { statusCode: number; headers: Record<string, unknown> }) => {
    assert.equal(response.statusCode, 400);
    assert.match(String(response.headers['content-type']), /application\/problem\+json/);
  };

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness);
    slug = await enablePortal(owner, { allowEditingDetails: false });
    const customer = await customerWithContacts(owner, 'Sprache GmbH', [PRIMARY, CLIENT]);
    customerId = customer.id;
    clientId = customer.contacts[CLIENT] ?? '';
    primaryId = customer.contacts[PRIMARY] ?? '';
    await json('PATCH', `/api/v1/customers/${customerId}/contact-persons/${primaryId}`, { isPrimary: true });
    client = await activatedClient(harness, owner, slug, customerId, clientId, CLIENT);
  });
  after(() => harness.close());

  test('the contact chooses German in the portal, even where the business does not allow editing details', async () => {
    assert.equal((await client.request({ method: 'GET', url: '/account' })).json().language, null);
    const chosen = await client.request({ method: 'PUT', url: '/account/language', payload: { language: 'de' } });
    assert.equal(chosen.statusCode, 200, chosen.body);
    assert.deepEqual(chosen.json(), { language: 'de' });
    assert.equal((await client.request({ method: 'GET', url: '/account' })).json().language, 'de');
    const session = (await client.request({ method: 'GET', url: '/session' })).json();
    assert.equal(session.contactPerson.language, 'de');
    assert.equal(session.organization.locale, 'en-US');
    assert.equal(await storedLanguage(clientId), 'de');
  });

  test('an unknown language answers 400 problem+json and changes nothing', async () => {
    for (const payload of [
      { language: 'xx' },
      { language: 'DE' },
      { language: 'de-DE' },
      { language: 42 },
      {},
      { language: 'fr', firstName: 'Eve' },
    ]) {
      const response = await client.request({ method: 'PUT', url: '/account/language', payload });
      assertProblem(response);
    }
    const business = await owner.request({
      method: 'PATCH',
      url: `/api/v1/customers/${customerId}/contact-persons/${clientId}`,
      payload: { language: 'klingon' },
    });
    assertProblem(business);
    const created = await owner.request({
      method: 'POST',
      url: `/api/v1/customers/${customerId}/contact-persons`,
      payload: { firstName: 'Nobody', language: 'english' },
    });
    assertProblem(created);
    assert.equal(await storedLanguage(clientId), 'de');
    const people = (await json('GET', `/api/v1/customers/${customerId}`)).contactPersons;
    assert.equal(people.length, 2, 'no contact person was added');
  });

  test('the business sets and clears a contact person’s language', async () => {
    const added = await json('POST', `/api/v1/customers/${customerId}/contact-persons`, {
      firstName: 'Hana',
      language: 'ja',
    });
    assert.equal(added.language, 'ja');
    const changed = await json('PATCH', `/api/v1/customers/${customerId}/contact-persons/${added.id}`, {
      language: 'es',
    });
    assert.equal(changed.language, 'es');
    const cleared = await json('PATCH', `/api/v1/customers/${customerId}/contact-persons/${added.id}`, {
      language: null,
    });
    assert.equal(cleared.language, null);
    assert.equal(await storedLanguage(added.id), null);
    await owner.request({ method: 'DELETE', url: `/api/v1/customers/${customerId}/contact-persons/${added.id}` });
  });

  test('the next invoice e-mail and its PDF reach the German contact in German, the others in English', async () => {
    const draft = await json('POST', '/api/v1/invoices', {
      customerId,
      issueDate: '2026-03-15',
      dueDate: '2026-04-14',
      lines: [{ name: 'Beratung', quantity: '3', rate: 123456 }],
    });
    const sent = await json('POST', `/api/v1/invoices/${draft.id}/send`);
    const mailer = createMailer({ ...harness.ctx.config, mailFrom: 'Billing <billing@portico.test>' });
    await deliverDueMessages(harness.ctx, mailer);
    await mailer.close();
    const directory = path.join(harness.ctx.config.dataDir, 'mail');
    const mails = await Promise.all(
      readdirSync(directory).map((file) => simpleParser(readFileSync(path.join(directory, file)))),
    );
    const invoiceMail = (to: string) => {
      const mail = mails.find(
        (m) => m.text?.includes(`/invoices/${draft.id}`) && m.to && !Array.isArray(m.to) && m.to.text === to,
      );
      assert.ok(mail, `no invoice e-mail to ${to}`);
      return mail;
    };

    const german = invoiceMail(CLIENT);
    assert.match(german.subject ?? '', new RegExp(`^Rechnung ${sent.number} von `));
    assert.match(german.text ?? '', /^Hallo Person 2,/);
    assert.match(german.text ?? '', /Offener Betrag: USD 3\.703,68/);
    assert.match(german.text ?? '', /Fälligkeitsdatum: 14\. April 2026/);
    assert.match(german.text ?? '', /Das Dokument ist als PDF angehängt/);
    assert.match(String(german.html), /<html lang="de">/);
    assert.match(String(german.html), /Im Kundenportal ansehen/);

    const english = invoiceMail(PRIMARY);
    assert.match(english.subject ?? '', new RegExp(`^Invoice ${sent.number} from `));
    assert.match(english.text ?? '', /Amount due: USD 3,703\.68/);
    assert.match(english.text ?? '', /Due date: 14 April 2026/);

    const [germanPdf] = german.attachments;
    const [englishPdf] = english.attachments;
    assert.equal(germanPdf?.contentType, 'application/pdf');
    assert.equal(englishPdf?.contentType, 'application/pdf');
    if (!HAS_PDFTOTEXT) return test.skip?.(NO_PDFTOTEXT_REASON);
    const germanText = squeeze(pdfText(germanPdf?.content ?? Buffer.alloc(0)));
    for (const expected of [
      'RECHNUNG',
      'Rechnungsdatum 15.03.2026',
      'Fälligkeitsdatum 14.04.2026',
      'RECHNUNG AN',
      'Artikel & Beschreibung',
      'Zwischensumme USD 3.703,68',
      'Offener Betrag USD 3.703,68',
      'Seite 1 von 1',
      '1.234,56',
    ]) {
      assert.ok(germanText.includes(expected), `German PDF lacks "${expected}": ${germanText}`);
    }
    assert.ok(!germanText.includes('Balance due'), germanText);
    const englishText = squeeze(pdfText(englishPdf?.content ?? Buffer.alloc(0)));
    for (const expected of ['INVOICE', 'Due date 2026-04-14', 'Balance due USD 3,703.68', 'Page 1 of 1']) {
      assert.ok(englishText.includes(expected), `English PDF lacks "${expected}": ${englishText}`);
    }
  });

  test('PDFs: the portal’s in the contact’s language, the business’s in its locale unless it asks for one', async () => {
    const draft = await json('POST', '/api/v1/invoices', {
      customerId,
      issueDate: '2026-03-15',
      dueDate: '2026-04-14',
      lines: [{ name: 'Work', quantity: '1', rate: 100000 }],
    });
    await json('POST', `/api/v1/invoices/${draft.id}/mark-sent`);
    const portal = await client.request({ method: 'GET', url: `/invoices/${draft.id}/pdf` });
    assert.equal(portal.statusCode, 200);
    const business = await owner.request({ method: 'GET', url: `/api/v1/invoices/${draft.id}/pdf` });
    assert.equal(business.statusCode, 200);
    const spanish = await owner.request({ method: 'GET', url: `/api/v1/invoices/${draft.id}/pdf?language=es` });
    assert.equal(spanish.statusCode, 200);
    const japanese = await owner.request({ method: 'GET', url: `/api/v1/invoices/${draft.id}/pdf?language=ja` });
    assert.equal(japanese.statusCode, 200);
    assertProblem(await owner.request({ method: 'GET', url: `/api/v1/invoices/${draft.id}/pdf?language=xx` }));
    if (!HAS_PDFTOTEXT) return test.skip?.(NO_PDFTOTEXT_REASON);
    assert.ok(squeeze(pdfText(portal.rawPayload)).includes('Offener Betrag USD 1.000,00'));
    assert.ok(squeeze(pdfText(business.rawPayload)).includes('Balance due USD 1,000.00'));
    const spanishText = squeeze(pdfText(spanish.rawPayload));
    assert.ok(spanishText.includes('FACTURA') && spanishText.includes('Saldo pendiente USD 1000,00'), spanishText);
    // Japanese is drawn in the CJK font (fonts-ipafont-gothic): the words come back out of the PDF.
    const japaneseText = squeeze(pdfText(japanese.rawPayload));
    for (const expected of ['請求書', '請求日 2026/03/15', '未払残高 USD 1,000.00', '1 / 1 ページ']) {
      assert.ok(japaneseText.includes(expected), `Japanese PDF lacks "${expected}": ${japaneseText}`);
    }
  });

  test('a Spanish payer’s receipt e-mail and its PDF are in Spanish', async () => {
    const world = await payWorld(harness);
    const chosen = await world.client.request({ method: 'PUT', url: '/account/language', payload: { language: 'es' } });
    assert.equal(chosen.statusCode, 200);
    const invoice = await createInvoice(harness, world.owner, { customerId: world.customerId, total: 123456 });
    assertStatus(
      await pay(world.client, { allocations: [{ invoiceId: invoice.id, amount: 123456 }], testCard: GOOD_CARD }),
      201,
    );
    const [mail] = await mailTo(harness, world.email, 'paymentReceipt');
    assert.ok(mail, 'a receipt e-mail');
    assert.match(mail.subject, /^Pago de prueba: no se ha movido dinero: Recibo de pago \S+ de /);
    assert.match(mail.textBody, /Gracias: hemos recibido su pago de USD 1234,56 el /);
    assert.match(mail.textBody, /- Factura \S+: USD 1234,56/);
    assert.match(mail.htmlBody, /<strong>USD 1234,56<\/strong>/);
    if (!HAS_PDFTOTEXT) return test.skip?.(NO_PDFTOTEXT_REASON);
    const [attachment] = JSON.parse(mail.attachments) as Array<{ contentBase64: string }>;
    const text = squeeze(pdfText(Buffer.from(attachment?.contentBase64 ?? '', 'base64')));
    assert.ok(text.includes('RECIBO DE PAGO DE PRUEBA') && text.includes('Forma de pago'), text);
  });

  test('the statement PDF in the portal is in the contact’s language, the business’s in English unless it asks', async () => {
    const portal = await client.request({ method: 'GET', url: '/statement/pdf?period=this_year' });
    assert.equal(portal.statusCode, 200, portal.body);
    const business = await owner.request({
      method: 'GET',
      url: `/api/v1/customers/${customerId}/statement/pdf?period=this_year`,
    });
    assert.equal(business.statusCode, 200, business.body);
    assertProblem(
      await owner.request({
        method: 'GET',
        url: `/api/v1/customers/${customerId}/statement/pdf?period=this_year&language=xx`,
      }),
    );
    if (!HAS_PDFTOTEXT) return test.skip?.(NO_PDFTOTEXT_REASON);
    const german = squeeze(pdfText(portal.rawPayload));
    for (const expected of ['Kontoauszug', 'Zeitraum 01.01.2026 bis 31.12.2026', 'Nettosaldo', 'Vorgang', 'Rechnung']) {
      assert.ok(german.includes(expected), `German statement lacks "${expected}": ${german}`);
    }
    assert.match(german, /USD [\d.]+,\d{2} fällig/);
    const english = squeeze(pdfText(business.rawPayload));
    assert.ok(english.includes('Statement of accounts') && english.includes('2026-01-01 to 2026-12-31'), english);
    const asRead = await owner.request({
      method: 'GET',
      url: `/api/v1/customers/${customerId}/statement/pdf?period=this_year&language=ja`,
    });
    assert.equal(asRead.statusCode, 200, asRead.body);
    const japanese = squeeze(pdfText(asRead.rawPayload));
    assert.ok(japanese.includes('取引明細書') && japanese.includes('2026/01/01'), japanese);
  });

  test('the statement’s line details are in the German contact’s words; the JSON carries their facts', async () => {
    const draft = await json('POST', '/api/v1/invoices', {
      customerId,
      issueDate: '2026-03-12',
      dueDate: '2026-04-11',
      lines: [{ name: 'Abgeschrieben', quantity: '1', rate: 5000 }],
    });
    const invoice = await json('POST', `/api/v1/invoices/${draft.id}/mark-sent`);
    await json('POST', `/api/v1/invoices/${draft.id}/write-off`, {});
    const recorded = await owner.request({
      method: 'POST',
      url: '/api/v1/payments',
      payload: { customerId, date: '2026-03-13', mode: 'check', amount: 700, reference: 'Scheck 1042' },
    });
    assert.equal(recorded.statusCode, 201, recorded.body);
    const period = 'from=2026-03-01&to=2026-03-31';

    type Line = Record<string, unknown> & { kind: string; number: string | null };
    const statement = await client.request({ method: 'GET', url: `/statement?${period}` });
    assert.equal(statement.statusCode, 200, statement.body);
    const lines: Line[] = statement.json().lines;
    const invoiceLine = lines.find((line) => line.kind === 'invoice' && line.number === invoice.number);
    const writeOff = lines.find((line) => line.kind === 'write_off');
    const payment = lines.find((line) => line.kind === 'payment' && line.paymentReference === 'Scheck 1042');
    assert.ok(invoiceLine && writeOff && payment, JSON.stringify(lines));
    const facts = (line: Line) => [line.dueDate, line.paymentMode, line.paymentReference, line.retainerInvoiceNumber];
    assert.deepEqual(facts(invoiceLine), ['2026-04-11', null, null, null]);
    assert.equal(invoiceLine.details, 'Due 2026-04-11', '`details` stays English');
    assert.deepEqual([writeOff.number, ...facts(writeOff)], [invoice.number, null, null, null, null]);
    assert.equal(writeOff.details, `Write-off of ${invoice.number}`);
    assert.deepEqual(facts(payment), [null, 'check', 'Scheck 1042', null]);
    assert.equal(payment.details, 'Payment (Check), ref. Scheck 1042');

    const csv = await client.request({ method: 'GET', url: `/statement/csv?${period}` });
    assert.equal(csv.statusCode, 200, csv.body);
    const [header, ...rows] = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    assert.equal(header, '"Kunde","Datum","Vorgang","Nummer","Details","Betrag","Zahlungen","Saldo","Währung"');
    for (const expected of [
      `"Rechnung","${invoice.number}","Fällig am 11.04.2026"`,
      `"Abschreibung","${invoice.number}","Abschreibung von ${invoice.number}"`,
      '"Zahlung",',
      ',"Zahlung (Scheck), Ref. Scheck 1042",',
    ]) {
      assert.ok(
        rows.some((row) => row.includes(expected)),
        `CSV lacks ${expected}: ${rows.join('\n')}`,
      );
    }
    assert.ok(!csv.body.includes('Due ') && !csv.body.includes('Write-off'), csv.body);

    // The printable page too: its headings, dates and details.
    const page = await client.request({ method: 'GET', url: `/statement/html?${period}` });
    assert.equal(page.statusCode, 200, page.body);
    for (const expected of [
      '<html lang="de">',
      '<h1>Kontoauszug</h1>',
      'Fällig am 11.04.2026',
      `Abschreibung von ${invoice.number}`,
      'Zahlung (Scheck), Ref. Scheck 1042',
      '<th>Vorgang</th>',
    ]) {
      assert.ok(page.body.includes(expected), `the German printable statement lacks "${expected}": ${page.body}`);
    }
    assert.ok(!page.body.includes('Due ') && !page.body.includes('Opening balance'), page.body);

    const pdf = await client.request({ method: 'GET', url: `/statement/pdf?${period}` });
    assert.equal(pdf.statusCode, 200, pdf.body);
    if (!HAS_PDFTOTEXT) return test.skip?.(NO_PDFTOTEXT_REASON);
    // The details column wraps: each of its lines is read on its own.
    const text = squeeze(pdfText(pdf.rawPayload));
    for (const expected of ['Fällig am 11.04.2026', 'Abschreibung von', 'Zahlung (Scheck),', 'Ref. Scheck 1042']) {
      assert.ok(text.includes(expected), `German statement lacks "${expected}": ${text}`);
    }
    assert.ok(!text.includes('Due ') && !text.includes('Write-off of'), text);
  });

  test('the invitation, password reset and password-changed e-mails are in the language the business set', async () => {
    const HANS = 'hans@sprache.example';
    const YUKI = 'yuki@sprache.example';
    const hans = await json('POST', `/api/v1/customers/${customerId}/contact-persons`, {
      firstName: 'Hans',
      email: HANS,
      language: 'de',
    });
    const yuki = await json('POST', `/api/v1/customers/${customerId}/contact-persons`, {
      firstName: 'Yuki',
      email: YUKI,
      language: 'ja',
    });
    await activatedClient(harness, owner, slug, customerId, hans.id, HANS);
    await activatedClient(harness, owner, slug, customerId, yuki.id, YUKI);

    const [german] = await mailTo(harness, HANS, 'portalInvitation');
    assert.ok(german, 'an invitation to Hans');
    assert.match(german.subject, /hat Sie zum Kundenportal eingeladen$/);
    assert.match(german.textBody, /^Hallo Hans,/);
    assert.match(german.textBody, /Ihr Benutzername ist Ihre E-Mail-Adresse: hans@sprache\.example/);
    assert.match(german.textBody, /läuft in 7 Tagen ab/);
    assert.match(german.htmlBody, /<html lang="de">/);
    assert.match(german.htmlBody, /Einladung annehmen/);
    assert.match(german.htmlBody, /Ihr Benutzername ist Ihre E-Mail-Adresse: <strong>hans@sprache\.example<\/strong>/);
    assert.ok(!german.textBody.includes('invited you'), german.textBody);

    const [japanese] = await mailTo(harness, YUKI, 'portalInvitation');
    assert.ok(japanese, 'an invitation to Yuki');
    assert.match(japanese.subject, /からクライアントポータルへの招待が届きました$/);
    assert.match(japanese.textBody, /^Yuki 様/);
    assert.match(japanese.textBody, /7日後に期限切れになります/);
    assert.match(japanese.htmlBody, /招待を受ける/);

    // The contact who had chosen no language yet when invited read it in the organization's English, as before.
    const english = (await mailTo(harness, CLIENT, 'portalInvitation')).at(-1);
    assert.match(english?.subject ?? '', /invited you to their client portal$/);
    assert.match(english?.textBody ?? '', /The link works once and expires in 7 days\./);

    const anonymous = portalClient(harness, slug);
    for (const email of [HANS, YUKI]) {
      const forgot = await anonymous.request({ method: 'POST', url: '/password/forgot', payload: { email } });
      assert.equal(forgot.statusCode, 202, forgot.body);
    }
    const [germanReset] = await mailTo(harness, HANS, 'passwordReset');
    assert.match(germanReset?.subject ?? '', /^Setzen Sie Ihr Passwort für das Kundenportal von .+ zurück$/);
    assert.match(germanReset?.textBody ?? '', /Der Link funktioniert einmal und läuft in 1 Stunde ab\./);
    assert.match(germanReset?.htmlBody ?? '', /Neues Passwort wählen/);
    const [japaneseReset] = await mailTo(harness, YUKI, 'passwordReset');
    assert.match(japaneseReset?.textBody ?? '', /1時間後に期限切れになります/);

    const token = await tokenFromOutbox(harness, HANS, 'reset-password');
    const reset = await anonymous.request({
      method: 'POST',
      url: '/password/reset',
      payload: { token, password: 'ein ganz neues Portalpasswort' },
    });
    assert.equal(reset.statusCode, 200, reset.body);
    const [changed] = await mailTo(harness, HANS, 'passwordChanged');
    assert.ok(changed, 'Hans is told his password changed');
    assert.match(changed.subject, /^Ihr Passwort für das Kundenportal von .+ wurde geändert$/);
    assert.match(changed.textBody, /wurde am \d{1,2}\. \p{L}+ \d{4} um \d{2}:\d{2} /u);
    assert.match(changed.textBody, /„Passwort vergessen“ auf der Anmeldeseite/);
    assert.match(changed.htmlBody, /auf der <a href="[^"]+"[^>]*>Anmeldeseite<\/a>/);
  });

  test('the business’s reply e-mailed to the contacts is in each one’s language', async () => {
    const settings = await owner.request({
      method: 'PATCH',
      url: '/api/v1/portal-settings',
      payload: { emailCustomerOnComment: true },
    });
    assert.equal(settings.statusCode, 200, settings.body);
    const draft = await json('POST', '/api/v1/invoices', {
      customerId,
      issueDate: '2026-03-15',
      dueDate: '2026-04-14',
      lines: [{ name: 'Work', quantity: '1', rate: 5000 }],
    });
    await json('POST', `/api/v1/invoices/${draft.id}/mark-sent`);
    await json('POST', `/api/v1/invoices/${draft.id}/comments`, { text: 'Danke & bis bald', showInPortal: true });
    const german = (await mailTo(harness, CLIENT, 'businessReply'))[0];
    assert.ok(german, 'the German contact is e-mailed');
    assert.match(german.subject, /^.+ hat die Rechnung \S+ kommentiert$/);
    assert.match(german.textBody, /^Hallo Person 2,/);
    assert.match(german.textBody, /> Danke & bis bald/);
    assert.match(german.textBody, /Im Kundenportal lesen und antworten:/);
    assert.match(german.htmlBody, /Danke &amp; bis bald/);
    assert.match(german.htmlBody, /Lesen und antworten/);
    const japanese = (await mailTo(harness, 'yuki@sprache.example', 'businessReply'))[0];
    assert.match(japanese?.subject ?? '', /が請求書 \S+にコメントしました$/);
    assert.match(japanese?.htmlBody ?? '', /読んで返信する/);
  });

  test('a document the German contact forwards reaches the stranger in German', async () => {
    const allowed = await owner.request({
      method: 'PATCH',
      url: '/api/v1/portal-settings',
      payload: { allowForwarding: true },
    });
    assert.equal(allowed.statusCode, 200, allowed.body);
    const draft = await json('POST', '/api/v1/invoices', {
      customerId,
      issueDate: '2026-03-15',
      dueDate: '2026-04-14',
      lines: [{ name: 'Work', quantity: '1', rate: 123456 }],
    });
    const sent = await json('POST', `/api/v1/invoices/${draft.id}/mark-sent`);
    const forwarded = await client.request({
      method: 'POST',
      url: `/invoices/${draft.id}/forward`,
      payload: { email: 'buchhaltung@sprache.example', message: 'Bitte bezahlen' },
    });
    assert.equal(forwarded.statusCode, 202, forwarded.body);
    const [mail] = await mailTo(harness, 'buchhaltung@sprache.example', 'documentForwarded');
    assert.ok(mail, 'the forward is e-mailed');
    assert.match(
      mail.subject,
      new RegExp(`^Person 2 von Sprache GmbH hat Ihnen die Rechnung ${sent.number} von .+ weitergeleitet$`),
    );
    assert.match(mail.textBody, /^Hallo,/);
    assert.match(mail.textBody, /Person 2 schreibt:\n> Bitte bezahlen/);
    assert.match(mail.textBody, /Offener Betrag: USD 1\.234,56/);
    assert.match(mail.textBody, /Fälligkeitsdatum: 14\. April 2026/);
    assert.match(mail.textBody, /Im Anhang finden Sie die Rechnung \S+ als PDF/);
    assert.match(mail.htmlBody, /<html lang="de">/);
  });

  test('choosing no language follows the organization again', async () => {
    const cleared = await client.request({ method: 'PUT', url: '/account/language', payload: { language: null } });
    assert.equal(cleared.statusCode, 200);
    assert.equal(await storedLanguage(clientId), null);
    const session = (await client.request({ method: 'GET', url: '/session' })).json();
    assert.equal(session.contactPerson.language, null);
  });
});
