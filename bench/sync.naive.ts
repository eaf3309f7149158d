/**
 * The baseline of the sync benchmark: what a straightforward client does, one request after
 * another. Canvas's default page size (10), each module's items from their own endpoint, then
 * every Page body and File record of the account.
 */
export async function naiveSync(baseUrl: string, token: string): Promise<void> {
  const get = async (url: string): Promise<{ body: unknown; next: string | null }> => {
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`naive client: ${url} answered ${response.status}`);
    const next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1] ?? null;
    return { body: await response.json(), next };
  };
  const getAll = async <T>(url: string): Promise<T[]> => {
    const out: T[] = [];
    for (let next: string | null = url; next; ) {
      const page: { body: unknown; next: string | null } = await get(next);
      out.push(...(page.body as T[]));
      next = page.next;
    }
    return out;
  };
  const api = `${baseUrl}/api/v1`;
  type Item = { type: string; page_url?: string; content_id?: number };
  for (const course of await getAll<{ id: number }>(`${api}/courses`)) {
    for (const module of await getAll<{ id: number }>(`${api}/courses/${course.id}/modules`)) {
      const items = await getAll<Item>(`${api}/courses/${course.id}/modules/${module.id}/items`);
      for (const item of items) {
        if (item.type === 'Page' && item.page_url) {
          await get(`${api}/courses/${course.id}/pages/${encodeURIComponent(item.page_url)}`);
        } else if (item.type === 'File' && item.content_id !== undefined) {
          await get(`${api}/courses/${course.id}/files/${item.content_id}`);
        }
      }
    }
  }
}
