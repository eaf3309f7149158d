import { createErrorFactory } from '../shared/errors.ts';

/** A payload that does not match its job kind's schema: rejected at enqueue, fatal at claim. */
export const createJobPayloadInvalidError = createErrorFactory({
  code: 'jobs.payload_invalid',
  statusCode: 422,
  message: 'The job payload is invalid.',
});

export const createJobNotFoundError = createErrorFactory({
  code: 'jobs.not_found',
  statusCode: 404,
  message: 'The job does not exist.',
});

/** The runner's per-job time limit passed; transient because a slow remote may be faster next time. */
export const createJobTimeoutError = createErrorFactory({
  code: 'jobs.timeout',
  statusCode: 504,
  message: 'The job took longer than its time limit.',
  transient: true,
});

/** The abort reason a handler sees when somebody cancelled its job. */
export const createJobCancelledError = createErrorFactory({
  code: 'jobs.cancelled',
  statusCode: 409,
  message: 'The job was cancelled.',
});

/** The abort reason a handler sees when the runner shuts down; the job goes back to the queue. */
export const createJobInterruptedError = createErrorFactory({
  code: 'jobs.interrupted',
  statusCode: 503,
  message: 'The worker is shutting down; the job will run again.',
  transient: true,
});

/** The abort reason when another worker took over the job because our lease expired. */
export const createJobLeaseLostError = createErrorFactory({
  code: 'jobs.lease_lost',
  statusCode: 409,
  message: 'The job was taken over by another worker.',
});

/** A job whose workers kept dying (lease expired) until it ran out of attempts. */
export const createJobAttemptsExhaustedError = createErrorFactory({
  code: 'jobs.attempts_exhausted',
  statusCode: 500,
  message: 'The job stopped responding too many times and was given up.',
});

/** Only queued and running jobs can be cancelled; a finished one stays as it ended. */
export const createJobNotCancellableError = createErrorFactory({
  code: 'jobs.not_cancellable',
  statusCode: 409,
  message: 'The job has already finished, so it cannot be cancelled.',
});

/** Only failed and cancelled jobs can be retried; the others are still running or done. */
export const createJobNotRetryableError = createErrorFactory({
  code: 'jobs.not_retryable',
  statusCode: 409,
  message: 'Only a failed or cancelled job can be retried.',
});
