import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { SearchService } from '../../search/search.service.ts';
import { presentSearchResult } from '../presenters.ts';
import { errorResponses } from '../schemas.ts';
import { searchPageSchema, searchQuery } from '../search.schemas.ts';

const DESCRIPTION = [
  'Searches item titles, transcripts and notes; one result per item, best first.',
  '',
  '- Plain words must all appear in the same title, transcript paragraph or notes section',
  '  (`membrane potential`); case, accents and word endings do not matter (`channels` finds `channel`).',
  '- `"quoted phrases"` match those words in that order.',
  '- A trailing `*` matches a prefix: `grad*`, `"gradient desc"*`.',
  '- `OR` in capitals between two terms matches either: `ion channel OR pump` is ion and (channel or pump).',
  '- Anything else is part of a word: hyphens (`state-space`), apostrophes, colons and brackets just match.',
  '',
  'A quote left open, `OR` at the start or end or twice in a row, a lone `*`, or no word at all is a',
  '400 `search.bad_query` saying how to write it. `snippet` is HTML: the matching text, escaped, each',
  'match in `<mark>`; for a transcript or notes match, `start` is when it was said and `link` opens the',
  'recording there where its host allows it (Panopto, YouTube).',
].join('\n');

export const searchRoutes: FastifyPluginAsyncZod<{ search: SearchService }> = async (app, { search }) => {
  app.get(
    '/search',
    {
      config: { readCache: true },
      schema: {
        tags: ['search'],
        summary: 'Search titles, transcripts and notes, ranked, with highlighted snippets and times',
        description: DESCRIPTION,
        querystring: searchQuery,
        response: { 200: searchPageSchema, ...errorResponses(400) },
      },
    },
    async (request) => {
      const { q, course_id, module_id, limit, offset } = request.query;
      const page = search.search({ q, courseId: course_id, moduleId: module_id, limit, offset });
      return { ...page, results: page.results.map(presentSearchResult) };
    },
  );
};
