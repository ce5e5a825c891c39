import useSWRInfinite from 'swr/infinite';
import { listVersion } from './cache.js';

interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/**
 * A list that pages with the API's cursors: `fetchPage(cursor)` loads one page; `more()` appends the next.
 * `key` names the list (and its filter) so that changing the filter starts again from the first page.
 */
export function usePagedList<T>(key: readonly unknown[], fetchPage: (cursor: string | undefined) => Promise<Page<T>>) {
  const versioned = [...key, listVersion(String(key[0]))];
  const pages = useSWRInfinite<Page<T>>(
    (index, previous: Page<T> | null) => {
      if (index === 0) return [...versioned, null];
      return previous?.nextCursor ? [...versioned, previous.nextCursor] : null;
    },
    (args: unknown[]) => fetchPage((args[args.length - 1] as string | null) ?? undefined),
  );
  const rows = pages.data?.flatMap((page) => page.data) ?? [];
  const last = pages.data?.[pages.data.length - 1];
  return {
    rows,
    loading: pages.data === undefined && !pages.error,
    error: pages.error as unknown,
    hasMore: Boolean(last?.nextCursor),
    more: () => pages.setSize(pages.size + 1),
    retry: () => pages.mutate(),
  };
}
