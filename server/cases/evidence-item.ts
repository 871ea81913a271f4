import { z } from 'zod';
import type { EvidenceKind } from '../../workflows/index.ts';

// The stored shape of `case.evidence[]`. It belongs to the case document (server/cases/model.ts),
// so it lives here, below server/evidence/, which writes and serves these items.

/** What sniffing may conclude; nothing else is stored. */
export const MEDIA_TYPES = [
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/gif',
  'application/pdf',
  'text/csv',
  'text/plain',
  'message/rfc822',
] as const;
export const MediaType = z.enum(MEDIA_TYPES);
export type MediaType = z.infer<typeof MediaType>;

export const STORAGE_BACKENDS = ['fs', 'gridfs'] as const;
export type StorageBackend = (typeof STORAGE_BACKENDS)[number];

/**
 * One piece of evidence as stored in `case.evidence[]`. Other modules (exports) read exactly
 * these fields: add fields, never rename or retype one.
 */
export interface EvidenceItem {
  id: string;
  kind: EvidenceKind;
  description: string | null;
  /** Hex sha256 of the bytes; also the content address in the store. */
  sha256: string;
  size: number;
  /** Sniffed from the bytes, never the client's claim. */
  mediaType: MediaType;
  /** The client's file name, sanitized; metadata only, never used as a path. */
  originalName: string;
  storageKey: string;
  backend: StorageBackend;
  uploadedBy: { id: string; role: string };
  uploadedAt: string;
  /** Set when a download found bytes that no longer match `sha256`. */
  flagged: boolean;
}
