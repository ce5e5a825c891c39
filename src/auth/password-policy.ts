import { createRequire } from 'node:module';
import { invalid } from '../domain/errors.js';

/** The lowest minimum an organization may choose (ASVS v5 6.2.1 allows 12). */
export const PASSWORD_MIN_FLOOR = 12;
/** The minimum when the organization chose none: 15, as ASVS v5 asks without a second factor. */
export const PASSWORD_DEFAULT_MIN = 15;
/** Long enough for any passphrase or password manager; bounded so hashing cost stays bounded. */
export const PASSWORD_MAX = 128;

/** Context words shorter than this are ignored: a two-letter e-mail name would forbid half the dictionary. */
const MIN_CONTEXT_WORD = 4;

const require = createRequire(import.meta.url);
let common: Set<string> | null = null;

/**
 * The most common passwords (about 49,000, most frequent first) from the maintained list that zxcvbn-ts ships as a
 * plain JSON array. Read once, on first use, as lowercase.
 */
function commonPasswords(): Set<string> {
  if (common === null) {
    const list = require('@zxcvbn-ts/language-common/src/passwords.json') as unknown;
    if (!Array.isArray(list) || list.length < 10_000) throw new Error('The common-password list did not load.');
    common = new Set(list.map((entry) => String(entry).normalize('NFC').toLowerCase()));
  }
  return common;
}

/**
 * True for what a cracker tries first: a listed password, a listed password with digits or symbols stuck around it
 * ("password1234567", "Monkey!!!!!!!!!!"), a short unit repeated ("abcabcabcabcabc"), or a run of consecutive
 * letters or digits ("123456789012345").
 */
function isPredictable(lower: string): boolean {
  const list = commonPasswords();
  if (list.has(lower)) return true;
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  if (core !== '' && core !== lower && list.has(core)) return true;
  const repeated = /^(.+?)\1+$/su.exec(lower)?.[1];
  if (repeated !== undefined && ([...repeated].length <= 4 || list.has(repeated))) return true;
  return isSequence([...lower]);
}

function isSequence(chars: string[]): boolean {
  const steps = new Set<number>();
  for (let i = 1; i < chars.length; i++) {
    const previous = chars[i - 1] ?? '';
    const current = chars[i] ?? '';
    let step = (current.codePointAt(0) ?? 0) - (previous.codePointAt(0) ?? 0);
    // 8901…: the digits wrap around.
    if (previous === '9' && current === '0') step = 1;
    if (previous === '0' && current === '9') step = -1;
    steps.add(step);
    if (steps.size > 1 || Math.abs(step) !== 1) return false;
  }
  return true;
}

/** Letters and digits only, so "john.smith" is found in "JohnSmith2026…" too. */
const compact = (text: string) => text.replace(/[^\p{L}\p{N}]/gu, '');

/**
 * Checks a new password against the policy (SECURITY.md, ASVS v5 6.2): at least the organization's minimum (never
 * below 12; 15 by default) and at most 128 characters, counted in Unicode code points after NFC normalization; no
 * composition rules (spaces and any characters are welcome, pasting is fine); not one of the most common passwords;
 * not built from the context words given (the e-mail's name, the organization's name).
 * Throws a 400 naming `path` (default `/password`) with a message that says what to do instead.
 */
export function checkNewPassword(
  password: string,
  options: { minLength: number; path?: string; context?: string[] },
): void {
  const path = options.path ?? '/password';
  const normalized = password.normalize('NFC');
  const length = [...normalized].length;
  const minLength = Math.min(Math.max(options.minLength, PASSWORD_MIN_FLOOR), PASSWORD_MAX);
  if (length < minLength) {
    throw invalid(
      path,
      `Use at least ${minLength} characters. A few unrelated words make a long password that is easy to remember.`,
    );
  }
  if (length > PASSWORD_MAX) throw invalid(path, `Use at most ${PASSWORD_MAX} characters.`);

  const lower = normalized.toLowerCase();
  if (isPredictable(lower)) {
    throw invalid(
      path,
      'This password is too common and easy to guess. Choose another one, for example a few unrelated words.',
    );
  }

  const compactPassword = compact(lower);
  for (const word of options.context ?? []) {
    const lowerWord = word.normalize('NFC').toLowerCase().trim();
    const compactWord = compact(lowerWord);
    const contains =
      ([...lowerWord].length >= MIN_CONTEXT_WORD && lower.includes(lowerWord)) ||
      ([...compactWord].length >= MIN_CONTEXT_WORD && compactPassword.includes(compactWord));
    if (contains) {
      throw invalid(
        path,
        "Choose a password that does not contain your e-mail name or the organization's name: they are the first things an attacker tries.",
      );
    }
  }
}
