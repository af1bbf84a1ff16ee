/**
 * Counts failed receipt/secret pairs per key (the client address, and the receipt tried) in a sliding
 * window, in memory: the address is never written to the database. Unknown receipts and wrong secrets
 * count alike, so the throttle itself tells nothing about which receipts exist.
 */
export function createFailureThrottle({ max, windowMs, now }: { max: number; windowMs: number; now: () => number }) {
  const hits = new Map<string, number[]>();

  function recent(key: string): number[] {
    const t = now();
    const list = (hits.get(key) ?? []).filter((at) => t - at < windowMs);
    if (list.length) hits.set(key, list);
    else hits.delete(key);
    return list;
  }

  /** Seconds to wait when any key is over the limit, else 0. */
  function blockedFor(keys: string[]): number {
    let wait = 0;
    for (const k of keys) {
      const list = recent(k);
      if (list.length >= max) wait = Math.max(wait, Math.ceil((list[0]! + windowMs - now()) / 1000));
    }
    return wait;
  }

  function fail(keys: string[]) {
    const t = now();
    if (hits.size > 50_000) for (const k of [...hits.keys()]) recent(k); // prune expired keys
    for (const k of keys) hits.set(k, [...recent(k), t]);
  }

  return { blockedFor, fail };
}
