// The token cache of handler.mjs (see its opening comment for what is keyed, the refreshAt rule
// and the bounds). Copied beside handler.mjs into each example folder by `make examples`.

/** What an entry costs besides its text (Map slot, entry object): a rough, fixed estimate. */
const ENTRY_OVERHEAD_BYTES = 160;

/**
 * A bounded LRU of signed answers: key -> { text, refreshAt, bytes }. A Map iterates in insertion
 * order, so re-inserting on every hit keeps the least recently used first, where eviction starts.
 * Concurrent misses for one key share one signing (`pending`), so a popular ID that has just
 * reached its refreshAt is signed once, not once per request in flight.
 */
export function tokenCache({ maxEntries, maxBytes }) {
  const entries = new Map();
  const pending = new Map();
  let bytes = 0;
  let hits = 0;
  let misses = 0;
  let evictions = 0;

  const drop = (key, entry) => {
    entries.delete(key);
    bytes -= entry.bytes;
  };
  const put = (key, entry) => {
    const old = entries.get(key);
    if (old) drop(key, old);
    if (entry.bytes > maxBytes) return; // larger than the whole cache: serve it, keep nothing
    entries.set(key, entry);
    bytes += entry.bytes;
    for (const [lruKey, lru] of entries) {
      if (entries.size <= maxEntries && bytes <= maxBytes) break;
      drop(lruKey, lru);
      evictions += 1;
    }
  };

  return {
    /** The answer for `key` while nowSec < its refreshAt, else `sign()`'s, kept for later requests. */
    async get(key, nowSec, sign) {
      const entry = entries.get(key);
      if (entry && nowSec < entry.refreshAt) {
        entries.delete(key);
        entries.set(key, entry); // the most recently used now
        hits += 1;
        return entry;
      }
      if (entry) drop(key, entry); // due for refresh: signed again below
      misses += 1;
      let signing = pending.get(key);
      if (!signing) {
        signing = (async () => {
          try {
            const fresh = await sign();
            put(key, { ...fresh, bytes: key.length + fresh.text.length + ENTRY_OVERHEAD_BYTES });
            return fresh;
          } finally {
            pending.delete(key);
          }
        })();
        pending.set(key, signing);
      }
      const fresh = await signing;
      // A signing that started long ago (slower than the refresh margin) is not good enough.
      return nowSec < fresh.refreshAt ? fresh : sign();
    },
    stats: () => ({ entries: entries.size, bytes, maxEntries, maxBytes, hits, misses, evictions }),
  };
}
