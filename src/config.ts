import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';

/** Everything Portico reads from the environment, checked once at start. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  /** Where people reach Portico; every link in an e-mail is built from it, never from a request's Host. */
  publicUrl: URL;
  appSecret: string;
  smtpUrl: string | null;
  production: boolean;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  /** Multiplies every client action budget (`auth/action-limits.ts`): 1, or more for load tests. */
  clientActionLimitsFactor: number;
  /**
   * Which reverse proxies may say who the client is (X-Forwarded-For, -Proto, -Host): a number of hops, or the
   * proxies' addresses and networks; false: none, the peer of the connection is the client.
   */
  trustProxy: number | string[] | false;
  /** Scheduled backups by the worker (SQLite only): where, how often, how many are kept. Null: none. */
  backups: { dir: string; everyMs: number; keep: number } | null;
  /**
   * WEBHOOKS_ALLOW_PRIVATE_NETWORKS=true: outgoing webhooks may go to loopback, private and link-local addresses
   * and over plain http (a test receiver, an integration on the same network). Off: such endpoints are refused.
   */
  webhooksAllowPrivateNetworks: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const MIN_SECRET_LENGTH = 32;
const WEAK_SECRETS = new Set(['changeme', 'secret', 'change-me', 'portico', 'password', 'development']);

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}".`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}.`);
  return value;
}

/**
 * In development a secret is generated once and kept under DATA_DIR so that sessions survive restarts.
 * In production a missing or weak secret stops the server: a guessable secret would let anyone forge tokens.
 */
function appSecretFrom(env: NodeJS.ProcessEnv, dataDir: string, production: boolean): string {
  const given = env.APP_SECRET;
  if (given !== undefined && given !== '') {
    if (given.length < MIN_SECRET_LENGTH || WEAK_SECRETS.has(given.toLowerCase())) {
      throw new ConfigError(
        `APP_SECRET is too weak: use at least ${MIN_SECRET_LENGTH} random characters (for example: openssl rand -base64 48).`,
      );
    }
    return given;
  }
  if (production) {
    throw new ConfigError(
      'APP_SECRET is required when NODE_ENV=production: set it to at least 32 random characters (openssl rand -base64 48).',
    );
  }
  const file = path.join(dataDir, 'app-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

const DURATION_UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30m`, `6h`, `24h`, `7d`: a whole number and a unit, nothing else. */
function durationFrom(env: NodeJS.ProcessEnv, name: string, fallback: string): number {
  const raw = env[name] || fallback;
  const match = /^([1-9]\d{0,5})(m|h|d)$/.exec(raw);
  const unit = match?.[2] === undefined ? undefined : DURATION_UNITS[match[2]];
  if (!match || unit === undefined) {
    throw new ConfigError(
      `${name} must be a whole number of minutes, hours or days such as 30m, 6h or 7d, got "${raw}".`,
    );
  }
  return Number(match[1]) * unit;
}

function backupsFrom(env: NodeJS.ProcessEnv, databaseUrl: string): Config['backups'] {
  const dir = env.BACKUP_DIR;
  if (dir === undefined || dir === '') {
    for (const name of ['BACKUP_EVERY', 'BACKUP_KEEP']) {
      if (env[name]) throw new ConfigError(`${name} is set but BACKUP_DIR is not: name the folder for the backups.`);
    }
    return null;
  }
  if (!databaseUrl.startsWith('sqlite:')) {
    throw new ConfigError(
      'BACKUP_DIR schedules backups of an SQLite database; back up PostgreSQL with pg_dump (docs/backups.md).',
    );
  }
  return {
    dir: path.resolve(dir),
    everyMs: durationFrom(env, 'BACKUP_EVERY', '24h'),
    keep: intFrom(env, 'BACKUP_KEEP', 7, 1, 10_000),
  };
}

/** The address ranges proxy-addr (Fastify's) knows by name. */
const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'];
const MAX_PROXY_HOPS = 10;

/** An IP address, or a network in CIDR notation narrower than the whole address space (`/0` trusts everyone). */
function isAddressOrNetwork(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  const bits = Number(prefix);
  return bits >= 1 && bits <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY: unset, Portico takes the connection's peer as the client and ignores X-Forwarded-*. A whole number
 * N trusts the N nearest hops: the client is the N-th address from the right of X-Forwarded-For (`1`: one proxy
 * in front, the address it appended). A comma-separated list of proxy addresses and networks (`10.0.0.0/8`,
 * `::1`, or `loopback`, `linklocal`, `uniquelocal`) trusts only those: the client is the rightmost address that
 * is not one of them. Never "trust every hop": then any client could name its own address in the header and
 * escape the per-IP throttles and forge the audit log.
 */
function trustProxyFrom(env: NodeJS.ProcessEnv): Config['trustProxy'] {
  const raw = (env.TRUST_PROXY ?? '').trim();
  if (raw === '') return false;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops < 1 || hops > MAX_PROXY_HOPS) {
      throw new ConfigError(
        `TRUST_PROXY must be a number of proxy hops from 1 to ${MAX_PROXY_HOPS} (leave it unset without a proxy), got ${raw}.`,
      );
    }
    return hops;
  }
  const entries = raw.split(',').map((entry) => entry.trim());
  const wrong = entries.filter((entry) => !NAMED_RANGES.includes(entry) && !isAddressOrNetwork(entry));
  if (wrong.length > 0) {
    throw new ConfigError(
      `TRUST_PROXY must be a number of proxy hops (such as 1) or a comma-separated list of the proxies' addresses or networks (such as 10.0.0.0/8,::1 or loopback); "trust every hop" is refused, and these are neither: ${wrong.map((w) => `"${w}"`).join(', ')}.`,
    );
  }
  return entries;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const port = intFrom(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const dataDir = path.resolve(env.DATA_DIR || './data');

  const databaseUrl = env.DATABASE_URL || `sqlite:${path.join(dataDir, 'portico.sqlite')}`;
  if (!/^(sqlite:|postgres:\/\/|postgresql:\/\/)/.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// (PostgreSQL) or sqlite: (an SQLite file path).');
  }

  let publicUrl: URL;
  try {
    publicUrl = new URL(env.PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}`);
  } catch {
    throw new ConfigError(
      `PUBLIC_URL must be an absolute URL such as https://billing.example.com, got "${env.PUBLIC_URL}".`,
    );
  }
  if (publicUrl.protocol !== 'http:' && publicUrl.protocol !== 'https:') {
    throw new ConfigError('PUBLIC_URL must use http or https.');
  }
  if (
    production &&
    publicUrl.protocol !== 'https:' &&
    !['127.0.0.1', 'localhost', '[::1]'].includes(publicUrl.hostname)
  ) {
    throw new ConfigError('PUBLIC_URL must use https in production (cookies and links would travel in clear text).');
  }

  const smtpUrl = env.SMTP_URL || null;
  if (smtpUrl !== null && !/^smtps?:\/\//.test(smtpUrl)) {
    throw new ConfigError('SMTP_URL must look like smtp://user:password@host:587 or smtps://host:465.');
  }

  return {
    port,
    host,
    dataDir,
    databaseUrl,
    publicUrl,
    appSecret: appSecretFrom(env, dataDir, production),
    smtpUrl,
    production,
    sessionIdleMinutes: intFrom(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    sessionAbsoluteHours: intFrom(env, 'SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 30),
    clientActionLimitsFactor: intFrom(env, 'CLIENT_ACTION_LIMITS_FACTOR', 1, 1, 1_000_000),
    trustProxy: trustProxyFrom(env),
    backups: backupsFrom(env, databaseUrl),
    webhooksAllowPrivateNetworks: booleanFrom(env, 'WEBHOOKS_ALLOW_PRIVATE_NETWORKS'),
  };
}

function booleanFrom(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new ConfigError(`${name} must be true or false, got "${raw}".`);
}
