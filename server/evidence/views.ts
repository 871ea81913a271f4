import type { CaseRecord } from '../cases/model.ts';
import type { EvidenceItem, EvidenceList, EvidenceView, UploadResult } from './schemas.ts';

export interface EvidenceLimits {
  maxFileBytes: number;
  maxFiles: number;
  maxCaseBytes: number;
}

/** An item as the API shows it but for its link, which the routes add. */
export type EvidenceFacts = Omit<EvidenceView, 'href'>;
export type EvidenceListing = Omit<EvidenceList, 'items'> & { items: EvidenceFacts[] };
export type UploadOutcome = Omit<UploadResult, 'items'> & { items: EvidenceFacts[] };

export function toEvidenceFacts(item: EvidenceItem): EvidenceFacts {
  return {
    id: item.id,
    kind: item.kind,
    description: item.description,
    sha256: item.sha256,
    size: item.size,
    mediaType: item.mediaType,
    originalName: item.originalName,
    uploadedBy: item.uploadedBy,
    uploadedAt: item.uploadedAt,
    flagged: item.flagged,
  };
}

export function totalBytes(record: CaseRecord): number {
  return (record.evidence ?? []).reduce((sum, item) => sum + item.size, 0);
}
