import { and, asc, eq, inArray, lt, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { JobKind } from '../db/schema.ts';
import { jobs } from '../db/schema.ts';

/**
 * Prepared statements for the per-job hot path (claim, heartbeat, complete). Building a drizzle
 * query and compiling it in SQLite cost more than running it; preparing once took the queue
 * benchmark's run phase from ~2,000 to several thousand jobs/s.
 *
 * Placeholders are bound raw (no column encoder), so timestamps are passed as epoch ms (`*Ms`).
 */
export function createJobStatements(db: Db) {
  // drizzle's `set()` types reject a bare placeholder; wrapped in `sql` it is accepted and bound raw.
  const param = (name: string) => sql`${sql.placeholder(name)}`;
  const candidate = { id: jobs.id, state: jobs.state, claimId: jobs.claimId };
  const ownedBy = and(
    eq(jobs.id, sql.placeholder('id')),
    eq(jobs.claimId, sql.placeholder('claimId')),
    eq(jobs.state, 'running'),
  );

  const buildCandidates = (kinds: readonly JobKind[] | undefined) => {
    const kindFilter = kinds?.length ? inArray(jobs.kind, [...kinds]) : undefined;
    return {
      expired: db
        .select(candidate)
        .from(jobs)
        .where(and(eq(jobs.state, 'running'), lt(jobs.leaseExpiresAt, sql.placeholder('nowMs')), kindFilter))
        .orderBy(asc(jobs.leaseExpiresAt))
        .limit(sql.placeholder('limit'))
        .prepare(),
      // Served in order by jobs_claim_idx (state, available_at, rowid): no sort, no scan.
      queued: db
        .select(candidate)
        .from(jobs)
        .where(and(eq(jobs.state, 'queued'), lte(jobs.availableAt, sql.placeholder('nowMs')), kindFilter))
        .orderBy(asc(jobs.availableAt), asc(jobs.id))
        .limit(sql.placeholder('limit'))
        .prepare(),
    };
  };
  const candidatesByKinds = new Map<string, ReturnType<typeof buildCandidates>>();

  return {
    /** The claim queries for one set of kinds (all kinds when empty), prepared on first use. */
    candidates(kinds: readonly JobKind[] | undefined) {
      const key = kinds?.length ? [...kinds].sort().join(',') : '*';
      let statements = candidatesByKinds.get(key);
      if (!statements) {
        statements = buildCandidates(kinds);
        candidatesByKinds.set(key, statements);
      }
      return statements;
    },

    /** The compare-and-swap: only matches if nobody claimed the row since we read it. */
    claim: db
      .update(jobs)
      .set({
        state: 'running',
        claimId: param('claimId'),
        leaseExpiresAt: param('leaseExpiresAtMs'),
        attempts: sql`${jobs.attempts} + 1`,
        startedAt: param('nowMs'),
        updatedAt: param('nowMs'),
      })
      .where(
        and(
          eq(jobs.id, sql.placeholder('id')),
          eq(jobs.state, sql.placeholder('expectedState')),
          sql`${jobs.claimId} is ${sql.placeholder('expectedClaimId')}`,
        ),
      )
      .returning()
      .prepare(),

    heartbeat: db
      .update(jobs)
      .set({ leaseExpiresAt: param('leaseExpiresAtMs') })
      .where(ownedBy)
      .returning({ cancelRequested: jobs.cancelRequested })
      .prepare(),

    complete: db
      .update(jobs)
      .set({
        state: 'succeeded',
        leaseExpiresAt: null,
        errorCode: null,
        errorMessage: null,
        finishedAt: param('nowMs'),
        updatedAt: param('nowMs'),
      })
      .where(ownedBy)
      .prepare(),
  };
}
