/**
 * A real HTTP server on 127.0.0.1 (port 0) that speaks just enough of the OpenAI chat-completions
 * API for the SDK to talk to it, records every request, and can be scripted to misbehave the ways
 * real and "compatible" servers do.
 */

import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { listenOnLoopback } from './listen.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
  /** `performance.now()` when the request arrived. */
  receivedAt: number;
  /** `performance.now()` when the answer was sent; `null` until then (and for a dropped request). */
  repliedAt: number | null;
}

/** What the server does with one request. */
export type FakeReply =
  | {
      kind: 'completion';
      /** A string, or an array of content parts as some compatible servers send. */
      content: string | Array<{ type: string; text?: string }> | null;
      model?: string;
      /** `null` leaves `usage` out of the reply. Default: made up from the lengths. */
      usage?: { prompt_tokens: number; completion_tokens: number } | null;
      finishReason?: string;
      delayMs?: number;
    }
  | { kind: 'empty-choices'; delayMs?: number }
  | { kind: 'error'; status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number };

export type Responder = (request: RecordedRequest, index: number) => FakeReply;

export interface FakeOpenAi {
  /** Ends with `/v1`, as the SDK's `baseURL` expects. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Requests being answered right now (arrived, not yet answered or dropped by the client). */
  readonly inFlight: number;
  /** The most requests ever in flight at once. */
  readonly maxInFlight: number;
  /** Replaces how the following requests are answered. */
  respondWith(responder: Responder): void;
  close(): Promise<void>;
}

/** Canned faults shaped like OpenAI's own error replies. */
export const fakeReplies = {
  unauthorized: (message = 'Incorrect API key provided.'): FakeReply => ({
    kind: 'error',
    status: 401,
    body: { error: { message, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } },
  }),
  modelNotFound: (model: string): FakeReply => ({
    kind: 'error',
    status: 404,
    body: {
      error: {
        message: `The model \`${model}\` does not exist or you do not have access to it.`,
        type: 'invalid_request_error',
        param: null,
        code: 'model_not_found',
      },
    },
  }),
  rateLimited: (retryAfterSeconds?: number, code = 'rate_limit_exceeded'): FakeReply => ({
    kind: 'error',
    status: 429,
    headers: retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
    body: { error: { message: 'Rate limit reached.', type: 'requests', param: null, code } },
  }),
  serverError: (status = 500, headers: Record<string, string> = {}): FakeReply => ({
    kind: 'error',
    status,
    headers,
    body: { error: { message: 'The server had an error.', type: 'server_error', param: null, code: null } },
  }),
};

/** Answers every request with a completion whose content names the request, unless told otherwise. */
export function defaultResponder(request: RecordedRequest, index: number): FakeReply {
  const model = (request.body as { model?: unknown } | null)?.model;
  return {
    kind: 'completion',
    content: `# Notes ${index + 1}\n\n- point from request ${index + 1}`,
    model: typeof model === 'string' ? model : 'fake-model',
  };
}

export async function startFakeOpenAi(options: { responder?: Responder } = {}): Promise<FakeOpenAi> {
  const requests: RecordedRequest[] = [];
  let responder = options.responder ?? defaultResponder;
  let inFlight = 0;
  let maxInFlight = 0;

  const server = createServer((req, res) => {
    // Counted from arrival until the answer is written or the client goes away, whichever first.
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once('close', () => {
      inFlight -= 1;
    });
    const receivedAt = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: parseJson(text),
        receivedAt,
        repliedAt: null,
      };
      const index = requests.push(recorded) - 1;
      if (recorded.method !== 'POST' || recorded.path !== '/v1/chat/completions') {
        send(res, 404, {
          error: { message: `No route ${recorded.method} ${recorded.path}`, type: 'not_found' },
        });
        return;
      }
      const reply = responder(recorded, index);
      // The timer is dropped when the client gives up, so aborted and timed-out requests leave nothing behind.
      const timer = setTimeout(() => {
        recorded.repliedAt = performance.now();
        answer(res, reply, recorded);
      }, reply.delayMs ?? 0);
      res.on('close', () => clearTimeout(timer));
    });
  });

  const { origin, close } = await listenOnLoopback(server);
  return {
    baseUrl: `${origin}/v1`,
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    respondWith(next) {
      responder = next;
    },
    close,
  };
}

function answer(res: ServerResponse, reply: FakeReply, request: RecordedRequest): void {
  if (reply.kind === 'error') {
    send(res, reply.status, reply.body ?? { error: { message: 'error' } }, reply.headers);
    return;
  }
  const body = request.body as { model?: unknown; messages?: unknown } | null;
  const model = typeof body?.model === 'string' ? body.model : 'fake-model';
  const base = {
    id: `chatcmpl-${Date.now()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
  };
  if (reply.kind === 'empty-choices') {
    send(res, 200, { ...base, model, choices: [] });
    return;
  }
  const content = reply.content;
  const promptTokens = Math.ceil(JSON.stringify(body?.messages ?? '').length / 4);
  const completionTokens = Math.ceil(JSON.stringify(content ?? '').length / 4);
  const usage =
    reply.usage === null
      ? undefined
      : (reply.usage ?? { prompt_tokens: promptTokens, completion_tokens: completionTokens });
  send(res, 200, {
    ...base,
    model: reply.model ?? model,
    choices: [
      { index: 0, message: { role: 'assistant', content }, finish_reason: reply.finishReason ?? 'stop' },
    ],
    ...(usage ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } } : {}),
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
