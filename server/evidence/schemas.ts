import { z } from 'zod';
import { objectIdString } from '../query-schemas.ts';
import { EvidenceKind } from '../../workflows/index.ts';
import { MediaType } from '../cases/evidence-item.ts';

export { MEDIA_TYPES, MediaType, STORAGE_BACKENDS } from '../cases/evidence-item.ts';
export type { EvidenceItem, StorageBackend } from '../cases/evidence-item.ts';

export const DESCRIPTION_MAX = 2_000;

/** The text fields of an upload; the files travel in the `files` field of the same form. */
export const UploadEvidenceFields = z.strictObject({
  kind: EvidenceKind,
  description: z
    .string()
    .trim()
    .max(DESCRIPTION_MAX)
    .optional()
    .transform((text) => (text ? text : null)),
});
export type UploadEvidenceFields = z.infer<typeof UploadEvidenceFields>;

/**
 * For the OpenAPI document only: the route reads the multipart body itself (after the access
 * checks, so a stranger's upload is refused before a byte is stored), so at the router this
 * accepts anything.
 */
export const UploadEvidenceForm = z.unknown().meta({
  id: 'EvidenceUpload',
  override: {
    type: 'object',
    required: ['files', 'kind'],
    properties: {
      files: {
        type: 'array',
        items: { type: 'string', format: 'binary' },
        minItems: 1,
        description: 'One to UPLOAD_MAX_FILES files (PNG, JPEG, WebP, GIF, PDF, CSV, text, EML)',
      },
      kind: { type: 'string', enum: [...EvidenceKind.options] },
      description: { type: 'string', maxLength: DESCRIPTION_MAX },
    },
  },
});

const ObjectIdString = objectIdString();

export const EvidenceParams = z.strictObject({
  id: ObjectIdString,
  evidenceId: z.uuid('not a valid evidence id'),
});

export const EvidenceView = z
  .object({
    id: z.string(),
    kind: EvidenceKind,
    description: z.string().nullable(),
    sha256: z.string(),
    size: z.number().int(),
    mediaType: MediaType,
    originalName: z.string(),
    uploadedBy: z.object({ id: z.string(), role: z.string() }),
    uploadedAt: z.string(),
    flagged: z.boolean(),
    href: z.string(),
  })
  .meta({ id: 'Evidence' });
export type EvidenceView = z.infer<typeof EvidenceView>;

export const EvidenceList = z
  .object({
    caseId: z.string(),
    items: z.array(EvidenceView),
    totalBytes: z.number().int(),
    limits: z.object({
      maxFileBytes: z.number().int(),
      maxFiles: z.number().int(),
      maxCaseBytes: z.number().int(),
    }),
  })
  .meta({ id: 'EvidenceList' });
export type EvidenceList = z.infer<typeof EvidenceList>;

export const UploadResult = z
  .object({
    caseId: z.string(),
    version: z.number().int(),
    evidenceCount: z.number().int(),
    items: z.array(EvidenceView),
  })
  .meta({ id: 'EvidenceUploaded' });
export type UploadResult = z.infer<typeof UploadResult>;
