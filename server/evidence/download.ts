import type { Readable } from 'node:stream';
import type { CaseActor } from '../cases/service.ts';
import { downloadName } from './filename.ts';
import { evidenceFlagged, verifyingStream, type FlagLoudly } from './integrity.ts';
import type { EvidenceItem } from './schemas.ts';
import type { ByteRange, EvidenceStore } from './store.ts';

export interface Download {
  item: EvidenceItem;
  /** The name to save under: sanitized, with the true extension when the client's lied. */
  filename: string;
  range: ByteRange | null;
  /** Bytes this response carries (the range's length, or the whole size). */
  length: number;
  /** The bytes; a whole-file stream is verified against the hash and fails before its end if they differ. */
  stream: Readable;
}

/**
 * Opens evidence for download. A whole-file download is verified as it streams; a range is
 * not (its hash cannot be checked without reading the rest).
 */
export function createDownloads(deps: {
  store: Pick<EvidenceStore, 'open'>;
  flagLoudly: FlagLoudly;
}) {
  const { store, flagLoudly } = deps;
  return async function download(
    actor: CaseActor,
    caseId: string,
    item: EvidenceItem,
    range: ByteRange | null,
  ): Promise<Download> {
    if (item.flagged) throw evidenceFlagged();
    const content = await store.open(item.storageKey, range ?? undefined);
    if (!content || content.size !== item.size) {
      content?.stream.destroy();
      await flagLoudly(caseId, item, content ? 'size-mismatch' : 'missing', actor, {
        actualSize: content?.size ?? null,
      });
      throw evidenceFlagged();
    }
    let stream = content.stream;
    if (!range) {
      const source = content.stream;
      stream = source.pipe(
        verifyingStream(item, (reason, details) =>
          flagLoudly(caseId, item, reason, actor, details),
        ),
      );
      // pipe() neither forwards errors nor closes the source when the reader goes away.
      source.once('error', (error) => stream.destroy(error));
      stream.once('close', () => source.destroy());
    }
    return {
      item,
      filename: downloadName(item.originalName, item.mediaType),
      range,
      length: range ? range.end - range.start + 1 : item.size,
      stream,
    };
  };
}
