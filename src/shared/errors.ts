/**
 * Every error a client can see carries a stable dotted `code` (`area.reason`), an HTTP status and
 * a message that is safe to show. Errors that are not `AppError`s are internal: the HTTP layer
 * logs them and answers a generic 500.
 */
export class AppError extends Error {
  readonly code: string;
  readonly statusCode: number;
  /** Whether a retry may succeed (network trouble, 5xx, throttling). Jobs read this. */
  readonly transient: boolean;
  /** Seconds the remote side asked us to wait before retrying, when it said so. */
  readonly retryAfterSeconds: number | undefined;

  constructor(options: {
    code: string;
    message: string;
    statusCode?: number;
    transient?: boolean;
    retryAfterSeconds?: number;
    cause?: unknown;
  }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = options.code;
    this.statusCode = options.statusCode ?? 500;
    this.transient = options.transient ?? false;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

type ErrorSpec = { code: string; statusCode: number; message: string; transient?: boolean };

/**
 * Declares one error of a module: `const courseNotFound = createErrorFactory({...})`, then
 * `throw courseNotFound()` or `throw courseNotFound({ message: 'Course 12 ...' })`.
 */
export function createErrorFactory(spec: ErrorSpec) {
  const factory = (overrides: { message?: string; cause?: unknown; retryAfterSeconds?: number } = {}) =>
    new AppError({ ...spec, ...overrides });
  factory.code = spec.code;
  return factory;
}

/** Turns anything thrown into a `{ code, message }` pair fit for storage and clients. */
export function describeError(error: unknown): { code: string; message: string } {
  if (isAppError(error)) return { code: error.code, message: error.message };
  if (error instanceof Error && error.name === 'AbortError') {
    return { code: 'jobs.aborted', message: 'The work was aborted.' };
  }
  return { code: 'internal.error', message: 'An unexpected internal error occurred.' };
}
