import type { Db } from './database.js';

export interface ReuseLimits<T> {
  /** At most this many results are kept per database; the oldest are dropped first. */
  maxEntries: number;
  /** A result is reused for at most this long (by the clock given to `read`), even when nothing was written. */
  maxAgeMs?: number;
  /** The size of a result, for the two bounds below (default: each result counts 1). */
  sizeOf?: (value: T) => number;
  /** The total size kept per database. */
  maxTotalSize?: number;
  /** A larger result is not kept at all. */
  maxEntrySize?: number;
}

interface Entry<T> {
  token: string;
  storedAt: number;
  value: T;
  size: number;
}

interface Store<T> {
  entries: Map<string, Entry<T>>;
  totalSize: number;
  /** Reads under way, by change token and key: concurrent misses share one read. */
  reading: Map<string, Promise<T>>;
}

/**
 * Results of reads, reused while they cannot have changed. A result is kept with a token read *before* the read
 * ran — the database's change token (`Db.changeToken`: any write by this process, any commit by another), or a
 * version the caller read from the database that every change to what the read answers moves (the portal
 * versions, `portalAnswer`) — and is given again only while the token is still the same: so it is exactly what
 * the read would answer now, as far as the data goes. What the passing of time alone changes is bounded by `maxAgeMs`, or left to the caller to
 * work out from the result (a session's expiry). Where the database gives no token (PostgreSQL), every call reads.
 *
 * The key must name everything the read depends on besides the data (who asks, for what). Kept results are
 * shared between requests: never change one.
 */
export class ReusableReads<T> {
  private readonly stores = new WeakMap<Db, Store<T>>();

  constructor(private readonly limits: ReuseLimits<T>) {}

  /**
   * `token` is read before this call, at the latest (by default, the database's change token now): a request
   * reads it once, and every reuse it decides is then as of that moment. Null: nothing can be reused.
   */
  async read(
    db: Db,
    key: string,
    now: number,
    compute: () => Promise<T>,
    token: string | null = db.changeToken(),
  ): Promise<T> {
    if (token === null) return compute();
    const store = this.storeOf(db);
    const kept = store.entries.get(key);
    if (kept && kept.token === token && this.fresh(kept, now)) return kept.value;

    const readingKey = `${token}\u0000${key}`;
    let reading = store.reading.get(readingKey);
    if (!reading) {
      reading = compute()
        .then((value) => {
          this.keep(store, key, { token, storedAt: now, value, size: this.limits.sizeOf?.(value) ?? 1 });
          return value;
        })
        .finally(() => store.reading.delete(readingKey));
      store.reading.set(readingKey, reading);
    }
    return reading;
  }

  private fresh(entry: Entry<T>, now: number): boolean {
    const { maxAgeMs } = this.limits;
    return maxAgeMs === undefined || (now >= entry.storedAt && now - entry.storedAt < maxAgeMs);
  }

  private storeOf(db: Db): Store<T> {
    let store = this.stores.get(db);
    if (!store) {
      store = { entries: new Map(), totalSize: 0, reading: new Map() };
      this.stores.set(db, store);
    }
    return store;
  }

  private drop(store: Store<T>, key: string, entry: Entry<T>) {
    store.entries.delete(key);
    store.totalSize -= entry.size;
  }

  private keep(store: Store<T>, key: string, entry: Entry<T>) {
    const {
      maxEntries,
      maxTotalSize = Number.POSITIVE_INFINITY,
      maxEntrySize = Number.POSITIVE_INFINITY,
    } = this.limits;
    const previous = store.entries.get(key);
    if (previous) this.drop(store, key, previous);
    if (entry.size > maxEntrySize) return;
    store.entries.set(key, entry);
    store.totalSize += entry.size;
    // Map order is insertion order: the first entries are the oldest — expired, or dropped to make room.
    for (const [oldKey, old] of store.entries) {
      const full = store.entries.size > maxEntries || store.totalSize > maxTotalSize;
      if (!full && this.fresh(old, entry.storedAt)) break;
      this.drop(store, oldKey, old);
    }
  }
}
