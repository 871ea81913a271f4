import type { ApiRouter } from '../http/api-router.ts';
import { fieldsIn } from '../http/problem.ts';
import { SelfHelpCounts, SelfHelpCountsQuery, SelfHelpSolvedRequest } from './schemas.ts';
import type { SelfHelpService } from './service.ts';

export function mountSelfHelpRoutes(api: ApiRouter, deps: { selfHelp: SelfHelpService }): void {
  const { selfHelp } = deps;

  api.post(
    '/self-help/solved',
    {
      summary:
        '"This solved it": the filing ends without a case; only the category and the day are kept (no personal data)',
      tags: ['self-help'],
      access: ['complainant', 'officer', 'admin'],
      body: SelfHelpSolvedRequest,
      responses: { 204: { description: 'Counted' } },
    },
    async ({ body }, _req, res) => {
      await selfHelp.record(body.category);
      res.status(204).end();
    },
  );

  api.get(
    '/self-help/solved',
    {
      summary:
        'How many filings self-help ended, by category, from `from` (inclusive) to `to` (a bare date includes that whole UTC day); the last 30 days by default, at most 366',
      tags: ['self-help'],
      access: ['officer', 'admin', 'compliance'],
      query: SelfHelpCountsQuery,
      responses: { 200: { description: 'Counts', schema: SelfHelpCounts } },
    },
    async ({ query }, _req, res) => {
      res.json(await fieldsIn('query', () => selfHelp.counts(query)));
    },
  );
}
