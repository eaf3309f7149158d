import { describe, expect, it, vi } from 'vitest';
import { CLOSED, CONNECTING, fetchEventSource, OPEN } from './fetch-event-source.ts';

/** A fake `fetch` whose streams the test writes to and ends. */
function fakeServer() {
  const calls: Array<{ headers: Record<string, string> }> = [];
  const streams: Array<ReadableStreamDefaultController<Uint8Array>> = [];
  let status = 200;
  const fetch = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
    calls.push({ headers: { ...(init?.headers as Record<string, string>) } });
    if (status !== 200) {
      return new Response('{"error":{"code":"auth.invalid_key","message":"no"}}', {
        status,
        headers: { 'content-type': 'application/json' },
      });
    }
    const body = new ReadableStream<Uint8Array>({ start: (controller) => void streams.push(controller) });
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  });
  const encoder = new TextEncoder();
  return {
    fetch: fetch as unknown as typeof globalThis.fetch,
    calls,
    refuseWith: (next: number) => {
      status = next;
    },
    write: (text: string) => streams.at(-1)?.enqueue(encoder.encode(text)),
    drop: () => streams.at(-1)?.close(),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('fetchEventSource', () => {
  it('sends the headers, opens, and hands each named event to its listeners, split anywhere', async () => {
    const server = fakeServer();
    const source = fetchEventSource('/events', {
      headers: () => ({ authorization: 'Bearer k' }),
      fetch: server.fetch,
    });
    const opened = vi.fn();
    source.onopen = opened;
    const items: string[] = [];
    source.addEventListener('item', (message) => items.push(message.data));
    await settle();
    expect(source.readyState).toBe(OPEN);
    expect(opened).toHaveBeenCalledOnce();
    expect(server.calls[0]?.headers).toMatchObject({
      authorization: 'Bearer k',
      accept: 'text/event-stream',
    });
    server.write('retry: 10\n\nid: 7\nevent: item\ndata: {"id":1}\n\n: ping\n\nid: 8\nevent: it');
    server.write('em\ndata: {"id":2}\n\nevent: job\ndata: {}\n\n');
    await settle();
    expect(items).toEqual(['{"id":1}', '{"id":2}']);
    source.close();
  });

  it('reconnects after the retry the server named, resuming from the last id, with the headers of now', async () => {
    const server = fakeServer();
    let key = 'old';
    const source = fetchEventSource('/events', {
      headers: () => ({ authorization: key }),
      fetch: server.fetch,
    });
    const errors = vi.fn();
    source.onerror = errors;
    await settle();
    server.write('retry: 20\n\nid: 41\nevent: item\ndata: {}\n\n');
    await settle();
    key = 'new';
    server.drop();
    await settle();
    expect(source.readyState).toBe(CONNECTING);
    expect(errors).toHaveBeenCalledOnce();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(server.calls).toHaveLength(2);
    expect(server.calls[1]?.headers).toMatchObject({ 'last-event-id': '41', authorization: 'new' });
    expect(source.readyState).toBe(OPEN);
    source.close();
  });

  it('closes for good on a refusal, telling of a 401 first', async () => {
    const server = fakeServer();
    server.refuseWith(401);
    const unauthorized = vi.fn();
    const source = fetchEventSource('/events', {
      headers: () => ({}),
      onUnauthorized: unauthorized,
      retryMs: 5,
      fetch: server.fetch,
    });
    const errors = vi.fn();
    source.onerror = errors;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(source.readyState).toBe(CLOSED);
    expect(unauthorized).toHaveBeenCalledOnce();
    expect(errors).toHaveBeenCalledOnce();
    expect(server.calls).toHaveLength(1);
  });

  it('stops reading and reconnecting once closed', async () => {
    const server = fakeServer();
    const source = fetchEventSource('/events', { headers: () => ({}), retryMs: 5, fetch: server.fetch });
    const errors = vi.fn();
    source.onerror = errors;
    await settle();
    source.close();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(source.readyState).toBe(CLOSED);
    expect(errors).not.toHaveBeenCalled();
    expect(server.calls).toHaveLength(1);
  });
});
