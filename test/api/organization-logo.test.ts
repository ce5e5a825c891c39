import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Actor, createOrgAndSignIn, type Harness, signIn, startHarness } from '../support/harness.js';
import { enablePortal } from '../support/portal.js';

/** A real 1×1 PNG and the start of a JPEG: the server checks the magic bytes, not the whole image. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0rest-of-file')]);

describe('organization logo and the public portal brand', () => {
  let harness: Harness;
  let owner: Actor;
  let staff: Actor;
  let other: Actor;
  let slug: string;

  const putLogo = (actor: Actor, payload: object) =>
    actor.request({ method: 'PUT', url: '/api/v1/organization/logo', payload });
  const stored = () =>
    harness.ctx.db.kysely
      .selectFrom('organizations')
      .select(['logoBase64', 'logoContentType'])
      .where('id', '=', owner.organizationId)
      .executeTakeFirstOrThrow();
  const anonymous = (url: string, headers: Record<string, string> = {}) =>
    harness.app.inject({ method: 'GET', url: `/api/portal/${slug}${url}`, headers });

  before(async () => {
    harness = await startHarness();
    owner = await createOrgAndSignIn(harness, { name: 'Brightside Studio' });
    other = await createOrgAndSignIn(harness);
    slug = await enablePortal(owner, { banner: 'Closed on Friday', passwordMinLength: 16 });
    const created = await owner.request({
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: 'staff@example.com', name: 'Staff', role: 'staff', password: 'a quiet evening by the harbour' },
    });
    assert.equal(created.statusCode, 201, created.body);
    staff = await signIn(harness, 'staff@example.com', 'a quiet evening by the harbour', {
      organizationId: owner.organizationId,
      userId: created.json().id,
    });
  });
  after(() => harness.close());

  test('without a logo: hasLogo false, the brand says so, the logo route is 404', async () => {
    const organization = (await owner.request({ method: 'GET', url: '/api/v1/organization' })).json();
    assert.equal(organization.hasLogo, false);
    assert.ok(!('logoBase64' in organization));
    const brand = await anonymous('/brand');
    assert.equal(brand.statusCode, 200, brand.body);
    assert.deepEqual(brand.json(), {
      organizationName: 'Brightside Studio',
      portalName: slug,
      banner: 'Closed on Friday',
      hasLogo: false,
      logoUrl: null,
      passwordMinLength: 16,
      testMode: true,
    });
    assert.equal((await anonymous('/brand/logo')).statusCode, 404);
  });

  test('the owner sets a PNG logo; it is served publicly with its type, nosniff and cache headers', async () => {
    const response = await putLogo(owner, { contentType: 'image/png', dataBase64: PNG.toString('base64') });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().hasLogo, true);
    assert.ok(!response.body.includes(PNG.toString('base64')), 'the profile does not carry the image');

    const brand = (await anonymous('/brand')).json();
    assert.equal(brand.hasLogo, true);
    assert.match(brand.logoUrl, new RegExp(`^/api/portal/${slug}/brand/logo\\?v=`));

    const logo = await anonymous('/brand/logo');
    assert.equal(logo.statusCode, 200);
    assert.equal(logo.headers['content-type'], 'image/png');
    assert.equal(logo.headers['x-content-type-options'], 'nosniff');
    assert.match(String(logo.headers['cache-control']), /max-age=\d+/);
    assert.ok(logo.headers.etag);
    assert.deepEqual(logo.rawPayload, PNG);

    const again = await anonymous('/brand/logo', { 'if-none-match': String(logo.headers.etag) });
    assert.equal(again.statusCode, 304);
    assert.equal(again.rawPayload.length, 0);
  });

  test('a JPEG replaces it', async () => {
    const response = await putLogo(owner, { contentType: 'image/jpeg', dataBase64: JPEG.toString('base64') });
    assert.equal(response.statusCode, 200, response.body);
    const logo = await anonymous('/brand/logo');
    assert.equal(logo.headers['content-type'], 'image/jpeg');
    assert.deepEqual(logo.rawPayload, JPEG);
  });

  test('refused: wrong magic bytes, not base64, too large, other types, unknown fields — nothing written', async () => {
    const before = await stored();
    const big = Buffer.concat([PNG, Buffer.alloc(512 * 1024)]);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    for (const payload of [
      { contentType: 'image/png', dataBase64: JPEG.toString('base64') },
      { contentType: 'image/jpeg', dataBase64: PNG.toString('base64') },
      { contentType: 'image/png', dataBase64: Buffer.from('GIF89a.....').toString('base64') },
      { contentType: 'image/png', dataBase64: svg.toString('base64') },
      { contentType: 'image/svg+xml', dataBase64: svg.toString('base64') },
      { contentType: 'image/gif', dataBase64: PNG.toString('base64') },
      { contentType: 'image/png', dataBase64: `data:image/png;base64,${PNG.toString('base64')}` },
      {
        contentType: 'image/png',
        dataBase64: `${PNG.toString('base64').slice(0, 20)}\n${PNG.toString('base64').slice(20)}`,
      },
      { contentType: 'image/png', dataBase64: 'not base64!' },
      { contentType: 'image/png', dataBase64: '' },
      { contentType: 'image/png', dataBase64: big.toString('base64') },
      { contentType: 'image/png' },
      { contentType: 'image/png', dataBase64: PNG.toString('base64'), url: 'http://evil.example/logo.png' },
    ]) {
      const response = await putLogo(owner, payload);
      assert.equal(response.statusCode, 400, `${JSON.stringify(payload).slice(0, 80)}: ${response.body.slice(0, 200)}`);
      assert.equal(response.json().code, 'validation_failed');
    }
    // Exactly 512 KB is allowed.
    const largest = Buffer.concat([PNG, Buffer.alloc(512 * 1024 - PNG.length)]);
    assert.deepEqual(await stored(), before);
    const ok = await putLogo(owner, { contentType: 'image/png', dataBase64: largest.toString('base64') });
    assert.equal(ok.statusCode, 200, ok.body.slice(0, 200));
  });

  test('staff may not change or remove the logo (403), and it stays', async () => {
    const before = await stored();
    assert.equal(
      (await putLogo(staff, { contentType: 'image/png', dataBase64: PNG.toString('base64') })).statusCode,
      403,
    );
    assert.equal((await staff.request({ method: 'DELETE', url: '/api/v1/organization/logo' })).statusCode, 403);
    assert.deepEqual(await stored(), before);
    assert.equal((await staff.request({ method: 'GET', url: '/api/v1/organization' })).json().hasLogo, true);
  });

  test("another organization's owner changes only its own logo", async () => {
    const before = await stored();
    assert.equal(
      (await putLogo(other, { contentType: 'image/png', dataBase64: PNG.toString('base64') })).statusCode,
      200,
    );
    assert.equal((await other.request({ method: 'DELETE', url: '/api/v1/organization/logo' })).statusCode, 204);
    assert.deepEqual(await stored(), before);
  });

  test('a disabled portal or an unknown portal name: 404 for the brand and the logo', async () => {
    assert.equal(
      (await harness.app.inject({ method: 'GET', url: '/api/portal/no-such-portal/brand' })).statusCode,
      404,
    );
    assert.equal(
      (await harness.app.inject({ method: 'GET', url: '/api/portal/no-such-portal/brand/logo' })).statusCode,
      404,
    );
    await owner.request({ method: 'PATCH', url: '/api/v1/portal-settings', payload: { enabled: false } });
    try {
      const brand = await anonymous('/brand');
      const logo = await anonymous('/brand/logo');
      assert.equal(brand.statusCode, 404);
      assert.equal(logo.statusCode, 404);
      assert.deepEqual(logo.json(), brand.json());
    } finally {
      await owner.request({ method: 'PATCH', url: '/api/v1/portal-settings', payload: { enabled: true } });
    }
  });

  test('the owner removes the logo', async () => {
    const response = await owner.request({ method: 'DELETE', url: '/api/v1/organization/logo' });
    assert.equal(response.statusCode, 204);
    assert.deepEqual(await stored(), { logoBase64: null, logoContentType: null });
    assert.equal((await owner.request({ method: 'GET', url: '/api/v1/organization' })).json().hasLogo, false);
    assert.equal((await anonymous('/brand')).json().hasLogo, false);
    assert.equal((await anonymous('/brand/logo')).statusCode, 404);
  });
});
