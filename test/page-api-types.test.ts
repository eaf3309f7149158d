import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { bulkJobsBody } from '../src/http/jobs.schemas.ts';
import type {
  courseSchema,
  errorSchema,
  itemDetailSchema,
  itemSchema,
  jobSchema,
  moduleSchema,
  summaryJsonSchema,
  syncCountsSchema,
  transcriptJsonSchema,
  transcriptSegmentSchema,
} from '../src/http/schemas.ts';
import type { searchPageSchema, searchResultSchema } from '../src/http/search.schemas.ts';
import type * as Page from '../src/web/page/api-types.ts';

type Answer<Schema extends z.ZodType> = z.output<Schema>;

/**
 * The page keeps its own types of the API's JSON (api-types.ts: it is built apart from the
 * server). Checked by `tsc` as part of `npm test`: every answer the server's response schemas
 * allow must be something the page's type accepts, so a field renamed, removed or retyped on the
 * server fails the typecheck instead of leaving a blank on the page.
 */
describe("the page's API types", () => {
  it('accept every answer the response schemas allow', () => {
    expectTypeOf<Answer<typeof errorSchema>['error']>().toExtend<Page.ErrorInfo>();
    expectTypeOf<Answer<typeof syncCountsSchema>>().toExtend<Page.SyncCounts>();
    expectTypeOf<Answer<typeof courseSchema>>().toExtend<Page.Course>();
    expectTypeOf<Answer<typeof moduleSchema>>().toExtend<Page.Module>();
    expectTypeOf<Answer<typeof jobSchema>>().toExtend<Page.Job>();
    expectTypeOf<Answer<typeof itemSchema>>().toExtend<Page.Item>();
    expectTypeOf<Answer<typeof itemDetailSchema>>().toExtend<Page.ItemDetail>();
    expectTypeOf<Answer<typeof bulkJobsBody>>().toExtend<Page.BulkJobs>();
    expectTypeOf<Answer<typeof summaryJsonSchema>>().toExtend<Page.Summary>();
    expectTypeOf<Answer<typeof transcriptSegmentSchema>>().toExtend<Page.Segment>();
    expectTypeOf<Answer<typeof transcriptJsonSchema>>().toExtend<Page.Transcript>();
    expectTypeOf<Answer<typeof searchResultSchema>>().toExtend<Page.SearchResult>();
    expectTypeOf<Answer<typeof searchPageSchema>>().toExtend<Page.SearchAnswer>();
  });
});
