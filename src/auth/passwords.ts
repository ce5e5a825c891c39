import { hash, verify } from '@node-rs/argon2';
import { AppError, tryAgainLater } from '../domain/errors.js';

/** argon2id at the parameters SECURITY.md asks for: 19 MiB, 2 iterations, parallelism 1. */
// `algorithm: 2` is Algorithm.Argon2id (a const enum, which isolated modules cannot import).
const PARAMS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/**
 * A login flood must not exhaust memory: at most this many hashes (19 MiB each) run at once. Two keep a process
 * within its memory budget and still give ≈ 40 sign-ins a second.
 */
export const MAX_CONCURRENT_HASHES = 2;
/**
 * And at most this many wait their turn; one more is answered 503 with Retry-After at once. So a hash never waits
 * behind more than 32 others (≈ 0.4 s at 25 ms a hash, two at a time), whatever the flood: a queue without a
 * bound made a client's sign-in wait 15 s behind 2,000 attackers'.
 */
export const MAX_WAITING_HASHES = 32;

let running = 0;
let computed = 0;
const waiting: Array<() => void> = [];

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) {
    if (waiting.length >= MAX_WAITING_HASHES) {
      throw tryAgainLater('busy', 'The server is busy. Try again in a moment.', 1_000);
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  running++;
  computed++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** How many hashes are being computed right now (never more than MAX_CONCURRENT_HASHES). */
export const hashesInProgress = (): number => running;

/** How many hashes and verifications this process has started since it began: the tests count a flood's cost. */
export const hashesComputed = (): number => computed;

export function hashPassword(password: string): Promise<string> {
  return withHashSlot(() => hash(password, PARAMS));
}

/**
 * A hash of a random password, verified against when the account does not exist, so timing reveals nothing.
 * Made once per process outside the queue, so that a full queue cannot leave it failed for good.
 */
let decoyHash: Promise<string> | null = null;

/** Checks a password; `stored` null means "no such account" and still costs one verification. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  decoyHash ??= hash('decoy password that never matches anything', PARAMS);
  const target = stored ?? (await decoyHash);
  const ok = await withHashSlot(() => verify(target, password).catch(() => false));
  return stored !== null && ok;
}

/** True when a stored hash uses weaker parameters than today's, so the login re-hashes it. */
export function needsRehash(stored: string): boolean {
  return !stored.startsWith(`$argon2id$v=19$m=${PARAMS.memoryCost},t=${PARAMS.timeCost},p=${PARAMS.parallelism}$`);
}

/**
 * After a right password: today's hash of it when the stored one is weaker, else null. Also null while the queue
 * is full — the sign-in goes ahead, and the next one upgrades the hash.
 */
export async function strongerHash(stored: string | null, password: string): Promise<string | null> {
  if (stored === null || !needsRehash(stored)) return null;
  try {
    return await hashPassword(password);
  } catch (error) {
    if (error instanceof AppError && error.code === 'busy') return null;
    throw error;
  }
}
