/**
 * Exact decimals for quantities, rates and percentages.
 *
 * The API carries them as strings ("1.25", "8.875") so that no float ever touches a price; here they
 * become a scaled BigInt (`units / 10^scale`), and every product of money and a decimal is rounded
 * once, half-up, in BigInt — so a 15-digit amount times a 4-decimal quantity stays exact.
 */
import { invalid } from './errors.js';

/** A non-negative exact decimal: `units / 10^scale`. */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

/** Digits, optionally a point and more digits. No sign, exponent, blanks or bare points. */
const DECIMAL_PATTERN = /^\d+(\.\d+)?$/;

/** Longer strings cannot be meaningful amounts; refusing them keeps BigInt work bounded. */
const MAX_DECIMAL_LENGTH = 32;

export interface DecimalRules {
  /** Most digits allowed after the point. */
  maxDecimals: number;
  /** Zero refused (quantities must be > 0). */
  positive?: boolean;
  /** Inclusive upper bound, as a decimal string (percent discounts stop at "100"). */
  max?: string;
}

/** Parses a strict decimal string, or throws `validation_failed` at `path`. */
export function parseDecimal(input: unknown, path: string, rules: DecimalRules): Decimal {
  if (typeof input !== 'string' || input.length > MAX_DECIMAL_LENGTH || !DECIMAL_PATTERN.test(input)) {
    throw invalid(path, 'Must be a decimal number written as a string, like "12" or "7.5".');
  }
  const [whole = '', fraction = ''] = input.split('.');
  if (fraction.length > rules.maxDecimals) {
    throw invalid(path, `At most ${rules.maxDecimals} decimal places.`);
  }
  const value: Decimal = { units: BigInt(whole + fraction), scale: fraction.length };
  if (rules.positive && value.units === 0n) {
    throw invalid(path, 'Must be greater than zero.');
  }
  if (rules.max !== undefined && compareDecimals(value, decimalFromString(rules.max)) > 0) {
    throw invalid(path, `Must be at most ${rules.max}.`);
  }
  return value;
}

/** For trusted literals in code; throws a plain Error on a malformed string. */
function decimalFromString(text: string): Decimal {
  if (!DECIMAL_PATTERN.test(text)) throw new Error(`Not a decimal literal: ${text}`);
  const [whole = '', fraction = ''] = text.split('.');
  return { units: BigInt(whole + fraction), scale: fraction.length };
}

export const pow10 = (exponent: number): bigint => 10n ** BigInt(exponent);

export function compareDecimals(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const left = a.units * pow10(scale - a.scale);
  const right = b.units * pow10(scale - b.scale);
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * The canonical spelling of a decimal — no leading zeros, no trailing fraction zeros — so that
 * "7.50" and "7.5" name the same tax rate.
 */
export function formatDecimal(value: Decimal): string {
  const digits = value.units.toString().padStart(value.scale + 1, '0');
  const whole = digits.slice(0, digits.length - value.scale);
  const fraction = digits.slice(digits.length - value.scale).replace(/0+$/, '');
  return fraction === '' ? whole : `${whole}.${fraction}`;
}

/**
 * `numerator / denominator` rounded half-up to an integer (halves go away from zero, so a negative
 * amount rounds as the mirror of its positive twin). The denominator must be positive.
 */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('Denominator must be positive.');
  const magnitude = numerator < 0n ? -numerator : numerator;
  const rounded = (2n * magnitude + denominator) / (2n * denominator);
  return numerator < 0n ? -rounded : rounded;
}

/** round(amount × decimal), the shape of "quantity × rate". */
export function multiplyRound(amount: bigint, factor: Decimal): bigint {
  return divideRoundHalfUp(amount * factor.units, pow10(factor.scale));
}

/** round(amount × percent / 100), the shape of every percentage discount and tax. */
export function percentOfRound(amount: bigint, percent: Decimal): bigint {
  return divideRoundHalfUp(amount * percent.units, 100n * pow10(percent.scale));
}
