import { z } from 'zod';
import type { ApiRouter } from '../http/api-router.ts';
import { ExportCasesQuery, ExportPage, ListExportsQuery } from './schemas.ts';
import type { ExportService } from './service.ts';

const COMPLIANCE = ['compliance'] as const;

export function mountExportRoutes(api: ApiRouter, deps: { exports: ExportService }): void {
  const { exports } = deps;

  api.get(
    '/exports/cases',
    {
      summary:
        'Stream case histories (NDJSON: one case per line with its hash chain, evidence manifest and deliveries; CSV: one row per timeline entry)',
      tags: ['exports'],
      access: COMPLIANCE,
      query: ExportCasesQuery,
      responses: {
        200: {
          description:
            'The export, streamed. `X-Export-Id` names its audit record (GET /exports), which holds the sha256 of the bytes sent; the same digest is sent as the `X-Export-Sha256` trailer.',
          schema: z.string(),
          contentType: 'application/x-ndjson',
        },
      },
    },
    async ({ query, user }, _req, res) => {
      const { format, ...filters } = query;
      const run = await exports.begin(
        { id: user.id, role: user.role, email: user.email },
        'api',
        format,
        filters,
      );
      res.status(200);
      res.setHeader('Content-Type', run.contentType);
      res.setHeader('Content-Disposition', `attachment; filename="${run.filename}"`);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Export-Id', run.id);
      res.setHeader('Trailer', 'X-Export-Sha256');
      // res.write() returning false pauses the pipeline until 'drain': backpressure end to end.
      // The response ends only once the audit record says completed, so a client that lists
      // the exports right after its download finds the export it just received.
      await run.run(res, {
        beforeEnd: (sha256) => res.addTrailers({ 'X-Export-Sha256': sha256 }),
        endSink: false,
      });
      res.end();
      return res;
    },
  );

  api.get(
    '/exports',
    {
      summary: 'The audit trail of exports: who exported what, when, and the digest of the bytes',
      tags: ['exports'],
      access: COMPLIANCE,
      query: ListExportsQuery,
      responses: { 200: { description: 'A page of export records', schema: ExportPage } },
    },
    async ({ query }, _req, res) => {
      res.json(await exports.list(query));
    },
  );
}
