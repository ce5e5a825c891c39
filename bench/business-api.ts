/** The business API (`/api/v1`) over loopback HTTP with an API key, as an integration would call it. */
export interface BusinessApi {
  /** Answers the parsed JSON body; throws with the status and body when the answer is not 2xx. */
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** Answers the status without judging it (the writer counts failures instead of stopping on them). */
  status(method: string, path: string, body?: unknown): Promise<number>;
}

export function businessApi(porticoUrl: string, apiKey: string): BusinessApi {
  const send = (method: string, path: string, body?: unknown) =>
    fetch(`${porticoUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    async call<T>(method: string, path: string, body?: unknown) {
      const response = await send(method, path, body);
      const text = await response.text();
      if (response.status >= 300) throw new Error(`${method} /api/v1${path}: ${response.status} ${text.slice(0, 300)}`);
      return (text ? JSON.parse(text) : null) as T;
    },
    async status(method: string, path: string, body?: unknown) {
      const response = await send(method, path, body);
      await response.arrayBuffer();
      return response.status;
    },
  };
}

interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** The ids of the organization's first `count` customers, page by page (bounded: at most 100 pages). */
export async function customerIds(api: BusinessApi, count: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100 && ids.length < count; page++) {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const answer: Page<{ id: string }> = await api.call('GET', `/customers?limit=100${query}`);
    ids.push(...answer.data.map((customer) => customer.id));
    cursor = answer.nextCursor;
    if (cursor === null) break;
  }
  return ids.slice(0, count);
}

/** Runs `work` over the items, at most `concurrency` at a time, in order of the items. */
export async function inParallel<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return results;
}
