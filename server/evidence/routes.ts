import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { CaseIdParams } from '../cases/schemas.ts';
import { RangeNotSatisfiableError, ValidationError } from '../errors.ts';
import type { ApiRouter } from '../http/api-router.ts';
import type { Idempotency } from '../http/idempotency.ts';
import { zodIssues } from '../http/problem.ts';
import { contentDisposition } from './filename.ts';
import { parseRange } from './range.ts';
import {
  EvidenceList,
  EvidenceParams,
  type EvidenceView,
  UploadEvidenceFields,
  UploadEvidenceForm,
  UploadResult,
} from './schemas.ts';
import { IntegrityError, type EvidenceFacts, type EvidenceService } from './service.ts';
import { receiveUpload } from './upload.ts';

const READERS = ['complainant', 'officer', 'compliance'] as const;

/** The service knows the items; where each is downloaded is this API's business. */
function linkedTo(caseId: string): (item: EvidenceFacts) => EvidenceView {
  return (item) => ({ ...item, href: `/api/v1/cases/${caseId}/evidence/${item.id}` });
}

async function withLinks<T extends { caseId: string; items: EvidenceFacts[] }>(
  result: Promise<T>,
): Promise<Omit<T, 'items'> & { items: EvidenceView[] }> {
  const resolved = await result;
  return { ...resolved, items: resolved.items.map(linkedTo(resolved.caseId)) };
}

export function mountEvidenceRoutes(
  api: ApiRouter,
  deps: { evidence: EvidenceService; idempotency: Idempotency },
): void {
  const { evidence, idempotency } = deps;

  api.post(
    '/cases/:id/evidence',
    {
      summary: 'Upload evidence: 1 to 10 files of one kind (case owner or officer)',
      tags: ['evidence'],
      access: ['complainant', 'officer'],
      params: CaseIdParams,
      body: UploadEvidenceForm,
      requestContentType: 'multipart/form-data',
      responses: {
        201: { description: 'Stored and recorded on the case', schema: UploadResult },
        409: { description: 'The case is closed or withdrawn' },
        413: { description: 'A file, or the case in total, would pass its size limit' },
        415: { description: 'A file is not PNG, JPEG, WebP, GIF, PDF, CSV, plain text or EML' },
      },
    },
    async ({ params, user }, req, res) => {
      // Access and state first, so a stranger's or a closed case's upload is never read.
      const { remainingCaseBytes } = await evidence.prepareUpload(user, params.id);
      const upload = await receiveUpload(req, res, evidence.tempDir, {
        ...evidence.limits,
        remainingCaseBytes,
      });
      try {
        const parsed = UploadEvidenceFields.safeParse(upload.fields);
        if (!parsed.success) {
          throw new ValidationError(
            'The upload form is not valid.',
            zodIssues(parsed.error, 'body'),
          );
        }
        // An Idempotency-Key covers the form and the files' hashes, known only now that the
        // body is read: a retry of the same upload gets the first answer, other files a 422.
        req.body = {
          ...parsed.data,
          files: upload.files.map((file) => ({
            name: file.originalName,
            sha256: file.sha256,
            size: file.size,
          })),
        };
        await idempotency.respond(req, res, user.id, async () => ({
          status: 201,
          body: await withLinks(evidence.addEvidence(user, params.id, parsed.data, upload.files)),
        }));
      } finally {
        await upload.discard();
      }
    },
  );

  api.get(
    '/cases/:id/evidence',
    {
      summary: "A case's evidence",
      tags: ['evidence'],
      access: READERS,
      params: CaseIdParams,
      responses: { 200: { description: 'The evidence, oldest first', schema: EvidenceList } },
    },
    async ({ params, user }, _req, res) => {
      res.json(await withLinks(evidence.list(user, params.id)));
    },
  );

  api.get(
    '/cases/:id/evidence/:evidenceId',
    {
      summary: 'Download one piece of evidence (verified against its hash as it streams)',
      tags: ['evidence'],
      access: READERS,
      params: EvidenceParams,
      responses: {
        200: {
          description: 'The file, as an attachment',
          schema: z.string().meta({ format: 'binary' }),
          contentType: 'application/octet-stream',
        },
        206: { description: 'The requested byte range (not hash-verified)' },
        409: { description: 'The evidence failed an integrity check and is flagged' },
        416: { description: 'The range starts past the end of the file' },
      },
    },
    async ({ params, user }, req, res) => {
      const item = await evidence.find(user, params.id, params.evidenceId);
      const etag = `"${item.sha256}"`;
      const range = parseRange(req.headers.range, item.size, req.get('if-range'), etag);
      if (range === 'unsatisfiable') {
        res.setHeader('Content-Range', `bytes */${item.size}`);
        throw new RangeNotSatisfiableError(
          `The file has ${item.size} bytes; the range asked for starts past its end.`,
        );
      }
      const download = await evidence.download(user, params.id, item, range);
      const textual = item.mediaType.startsWith('text/');
      res.status(range ? 206 : 200);
      res.setHeader('Content-Type', `${item.mediaType}${textual ? '; charset=utf-8' : ''}`);
      res.setHeader('Content-Length', String(download.length));
      res.setHeader('Content-Disposition', contentDisposition(download.filename));
      res.setHeader('X-Content-Type-Options', 'nosniff');
      // Should a browser ever render it anyway, nothing in it may run or load.
      res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader('Accept-Ranges', 'bytes');
      res.setHeader('ETag', etag);
      if (range) res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${item.size}`);
      if (req.method === 'HEAD') {
        download.stream.destroy();
        res.end();
        return;
      }
      // Status and headers go out now: a download cut by a failed hash check then reads as a
      // truncated 200 (announced length not reached), not as a server that never answered.
      res.flushHeaders();
      try {
        await pipeline(download.stream, res);
      } catch (error) {
        // The status line is gone: the cut connection is the client's signal. The service has
        // logged and flagged an integrity failure; a client that left needs nothing.
        if (!(error instanceof IntegrityError)) {
          req.log.debug({ err: error }, 'evidence download ended early');
        }
        res.destroy();
      }
    },
  );
}
