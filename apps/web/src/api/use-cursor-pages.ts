import { useCallback, useEffect, useState } from 'react';
import { api, type Query } from './client.js';

/**
 * A keyset-paged list (`{ items, nextCursor }`) for a path and query: the first page loads whenever the
 * query changes (a stale answer to an older query is dropped); `loadMore` appends the next page.
 */
export function useCursorPages<T>(path: string, query: Query) {
  const key = JSON.stringify(query);
  const [items, setItems] = useState<T[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    let cancelled = false;
    setItems(null);
    setError(null);
    api.get<{ items: T[]; nextCursor: string | null }>(path, JSON.parse(key) as Query).then(
      (r) => {
        if (cancelled) return;
        setItems(r.items);
        setNextCursor(r.nextCursor);
      },
      (e: unknown) => {
        if (cancelled) return;
        setItems([]);
        setNextCursor(null);
        setError(e);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [path, key]);

  const loadMore = useCallback(async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    try {
      const r = await api.get<{ items: T[]; nextCursor: string | null }>(path, { ...(JSON.parse(key) as Query), cursor: nextCursor });
      setItems((prev) => [...(prev ?? []), ...r.items]);
      setNextCursor(r.nextCursor);
    } catch (e) {
      setError(e);
    } finally {
      setLoadingMore(false);
    }
  }, [path, key, nextCursor]);

  return { items, nextCursor, error, loadingMore, loadMore };
}
