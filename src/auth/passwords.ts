import { hash, verify } from '@node-rs/argon2';

/** argon2id at the parameters SECURITY.md asks for: 19 MiB, 2 iterations, parallelism 1. */
// `algorithm: 2` is Algorithm.Argon2id (a const enum, which isolated modules cannot import).
const PARAMS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/**
 * A login flood must not exhaust memory: at most this many hashes (19 MiB each) run at once; the rest wait their
 * turn. Two keep a process within its memory budget and still give ≈ 40 sign-ins a second.
 */
export const MAX_CONCURRENT_HASHES = 2;
let running = 0;
const waiting: Array<() => void> = [];

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** How many hashes are being computed right now (never more than MAX_CONCURRENT_HASHES). */
export const hashesInProgress = (): number => running;

export function hashPassword(password: string): Promise<string> {
  return withHashSlot(() => hash(password, PARAMS));
}

/** A hash of a random password, verified against when the account does not exist, so timing reveals nothing. */
let decoyHash: Promise<string> | null = null;

/** Checks a password; `stored` null means "no such account" and still costs one verification. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  decoyHash ??= hashPassword('decoy password that never matches anything');
  const target = stored ?? (await decoyHash);
  const ok = await withHashSlot(() => verify(target, password).catch(() => false));
  return stored !== null && ok;
}

/** True when a stored hash uses weaker parameters than today's, so the login re-hashes it. */
export function needsRehash(stored: string): boolean {
  return !stored.startsWith(`$argon2id$v=19$m=${PARAMS.memoryCost},t=${PARAMS.timeCost},p=${PARAMS.parallelism}$`);
}
