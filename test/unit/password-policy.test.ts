import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkNewPassword,
  PASSWORD_DEFAULT_MIN,
  PASSWORD_MAX,
  PASSWORD_MIN_FLOOR,
} from '../../src/auth/password-policy.js';
import { AppError } from '../../src/domain/errors.js';

const policy = { minLength: PASSWORD_DEFAULT_MIN };

/** The 400 the policy throws, or null when the password is accepted. */
function refusal(password: string, options: Parameters<typeof checkNewPassword>[1] = policy) {
  try {
    checkNewPassword(password, options);
    return null;
  } catch (error) {
    assert.ok(error instanceof AppError);
    assert.equal(error.status, 400);
    return { path: error.errors[0]?.path, message: error.message };
  }
}

describe('password policy', () => {
  test('the numbers: floor 12, default 15, at most 128', () => {
    assert.equal(PASSWORD_MIN_FLOOR, 12);
    assert.equal(PASSWORD_DEFAULT_MIN, 15);
    assert.equal(PASSWORD_MAX, 128);
  });

  test('too short is refused with what to do; exactly the minimum is accepted', () => {
    const short = refusal('gravel lanter'); // 13
    assert.deepEqual(short?.path, '/password');
    assert.match(short?.message ?? '', /at least 15 characters/);
    assert.equal(refusal('gravel lantern!'), null); // 15
    assert.notEqual(refusal('gravel lantern'), null); // 14
  });

  test("the organization's minimum counts, but never below 12", () => {
    assert.equal(refusal('plum orbit ax', { minLength: 12 }), null); // 13
    assert.equal(refusal('plum orbit a', { minLength: 12 }), null); // 12
    assert.match(refusal('plum orbit ', { minLength: 12 })?.message ?? '', /at least 12/); // 11
    assert.match(refusal('plum orbit ', { minLength: 8 })?.message ?? '', /at least 12/);
    assert.equal(refusal('plum orbit a', { minLength: 8 }), null);
    assert.match(refusal('gravel lantern tide', { minLength: 20 })?.message ?? '', /at least 20/);
  });

  test('at most 128 characters: 128 accepted, 129 refused', () => {
    const unit = 'river fog kiln ';
    const long = (n: number) => `${unit.repeat(10)}zebra quartz mango`.slice(0, n);
    assert.equal([...long(128)].length, 128);
    assert.equal(refusal(long(128)), null);
    assert.match(refusal(long(129))?.message ?? '', /at most 128/);
  });

  test('length is counted in code points after NFC: emoji and combining characters', () => {
    // Each emoji is one code point but two UTF-16 units: 14 emoji are 14 characters, refused at 15.
    const emoji = '🦊🐙🌵🍋🚲🎈🧲🪁🦉🌻🧭🪴🐢🎻';
    assert.equal(emoji.length, 28);
    assert.notEqual(refusal(emoji), null);
    assert.equal(refusal(`${emoji}🍉`), null);
    // "é" typed as e + combining acute is one character once normalized.
    const combining = 'cafe\u0301 cre\u0300me bru';
    assert.equal([...combining].length, 16);
    assert.equal([...combining.normalize('NFC')].length, 14);
    assert.notEqual(refusal(combining), null);
    assert.equal(refusal(`${combining}e`), null);
    // The 128 limit counts code points as well: 128 emoji pass, 129 do not.
    const many = (n: number) => Array.from({ length: n }, (_v, i) => String.fromCodePoint(0x1f600 + (i % 60))).join('');
    assert.equal(refusal(many(128)), null);
    assert.notEqual(refusal(many(129)), null);
  });

  test('the most common passwords are refused, whatever their case, and with digits or symbols around them', () => {
    for (const password of [
      'password1234567',
      'PASSWORD1234567',
      'Password 1234567!',
      'iloveyou123456789',
      '!!!monkey!!!!!!!!',
      'qwertyuiop12345',
      '1qaz2wsx3edc4rfv',
      'passwordpassword',
      '123456789012345',
      'abcdefghijklmnop',
      'aaaaaaaaaaaaaaaa',
      'abcabcabcabcabcabc',
    ]) {
      assert.match(refusal(password)?.message ?? '(accepted)', /too common/, password);
    }
  });

  test('long passphrases are accepted, spaces included (paste-friendly, no composition rules)', () => {
    assert.equal(refusal('correct horse battery staple'), null);
    assert.equal(refusal('all lowercase words only here'), null);
    assert.equal(refusal('   leading and trailing spaces   '), null);
    const passphrase = 'saffron kettle drifts over quiet harbor while seven owls argue!!';
    assert.equal([...passphrase].length, 64);
    assert.equal(refusal(passphrase), null);
    assert.equal(refusal('ÄÖÜ ßtraße ñandú 東京 Ωmega'), null);
  });

  test("the e-mail's name and the organization's name are refused, equal or contained", () => {
    const context = ['john.smith', 'Acme Widgets'];
    const options = { minLength: 15, context };
    assert.match(refusal('John.Smith-is-great', options)?.message ?? '', /e-mail name/);
    assert.notEqual(refusal('johnsmith rides bikes', options), null);
    assert.notEqual(refusal('acme widgets forever', options), null);
    assert.notEqual(refusal('ACMEWIDGETS2026!!', options), null);
    assert.equal(refusal('widget makers of the world', options), null);
    // Words too short to mean anything are ignored rather than forbidding half the dictionary.
    assert.equal(refusal('jo rides a bike to work', { minLength: 15, context: ['jo'] }), null);
  });

  test('the path of the error can be chosen', () => {
    assert.equal(refusal('short', { minLength: 15, path: '/newPassword' })?.path, '/newPassword');
  });
});
