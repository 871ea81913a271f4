import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { GridFSBucket, ObjectId, type Db } from 'mongodb';
import mongoose, { type Connection } from 'mongoose';
import { SHA256_HEX, type ByteRange, type EvidenceStore, type StoredObject } from './store.ts';

const BUCKET = 'evidence';
const HIDDEN_PREFIX = 'gc:';

interface FileDoc {
  _id: ObjectId;
  filename: string;
  length: number;
  uploadDate: Date;
  metadata?: { touchedAt?: Date };
}

function checkKey(key: string): string {
  if (!SHA256_HEX.test(key)) throw new Error(`not an evidence storage key: ${key}`);
  return key;
}

// Declarations only (see createGridFsIndexModels): no fields, no MongoDB indexes of their own.
const indexOnly = {
  strict: false,
  autoIndex: false,
  autoCreate: false,
  versionKey: false,
} as const;
const filesIndexSchema = new mongoose.Schema({}, { ...indexOnly, collection: `${BUCKET}.files` });
filesIndexSchema.index({ filename: 1 });
const chunksIndexSchema = new mongoose.Schema({}, { ...indexOnly, collection: `${BUCKET}.chunks` });
chunksIndexSchema.index({ files_id: 1 });

/**
 * Models for the bucket's two collections that exist only to declare the fields looked up by
 * equality (`filename`; `files_id`, which every download reads chunks by), so that FerretDB's
 * tables get the GIN indexes that let PostgreSQL answer them (server/db/pushdown.ts). Nothing
 * reads or writes through them, and they create no MongoDB indexes: the driver makes its own.
 */
export function createGridFsIndexModels(connection: Connection) {
  return [
    connection.model('EvidenceGridFsFile', filesIndexSchema),
    connection.model('EvidenceGridFsChunk', chunksIndexSchema),
  ];
}

/**
 * Evidence in the database (GridFS bucket `evidence`), for several server instances without a
 * shared disk. The file name is the sha256. The driver writes a file's chunks first and its
 * files document last, so a reader never finds a partial file; chunks left by an upload that
 * died are swept once they are older than the grace period (their ObjectId carries the time).
 *
 * Two instances storing the same new bytes at the same moment may both write them: reads take
 * the newest complete copy and the collector removes all copies together, so the duplicate only
 * costs space until then.
 */
export function createGridFsStore(db: Db): EvidenceStore {
  const bucket = new GridFSBucket(db, { bucketName: BUCKET });
  const files = db.collection<FileDoc>(`${BUCKET}.files`);
  const chunks = db.collection(`${BUCKET}.chunks`);

  async function newest(filename: string): Promise<FileDoc | null> {
    const [file] = await files.find({ filename }).sort({ uploadDate: -1 }).limit(1).toArray();
    return file ?? null;
  }

  return {
    backend: 'gridfs',
    keyOf: checkKey,

    async put(tempPath, sha256, size, attemptId) {
      checkKey(sha256);
      const existing = await files.find({ filename: sha256 }).toArray();
      if (existing.some((file) => file.length === size)) {
        await files.updateMany(
          { filename: sha256 },
          { $set: { 'metadata.touchedAt': new Date() } },
        );
        return sha256;
      }
      const options = { metadata: { touchedAt: new Date() } };
      const upload = attemptId
        ? bucket.openUploadStreamWithId(new ObjectId(attemptId), sha256, options)
        : bucket.openUploadStream(sha256, options);
      await pipeline(createReadStream(tempPath), upload);
      // Copies of the wrong size are damaged; the fresh one replaces them.
      for (const damaged of existing) await bucket.delete(damaged._id).catch(() => {});
      return sha256;
    },

    async has(key) {
      return (await files.countDocuments({ filename: checkKey(key) }, { limit: 1 })) > 0;
    },

    async open(key, range?: ByteRange) {
      const file = await newest(checkKey(key));
      if (!file) return null;
      const stream = bucket.openDownloadStream(
        file._id,
        range ? { start: range.start, end: range.end + 1 } : {},
      );
      return { stream, size: file.length };
    },

    async *list(): AsyncIterable<StoredObject> {
      const cursor = files.find(
        {},
        { projection: { filename: 1, uploadDate: 1, 'metadata.touchedAt': 1 }, batchSize: 500 },
      );
      const seen = new Set<string>();
      for await (const file of cursor) {
        const hidden = file.filename.startsWith(HIDDEN_PREFIX);
        const sha256 = hidden ? file.filename.slice(HIDDEN_PREFIX.length) : file.filename;
        if (!SHA256_HEX.test(sha256) || seen.has(file.filename)) continue;
        seen.add(file.filename);
        yield {
          key: sha256,
          sha256,
          touchedAt: file.metadata?.touchedAt ?? file.uploadDate,
          hidden,
        };
      }
    },

    async hiddenOf(sha256) {
      const hidden = await files.countDocuments(
        { filename: `${HIDDEN_PREFIX}${checkKey(sha256)}` },
        { limit: 1 },
      );
      return hidden > 0 ? [sha256] : [];
    },

    async hide(key) {
      const result = await files.updateMany(
        { filename: checkKey(key) },
        { $set: { filename: `${HIDDEN_PREFIX}${key}` } },
      );
      return result.modifiedCount > 0 ? key : null;
    },

    async unhide(token) {
      await files.updateMany(
        { filename: `${HIDDEN_PREFIX}${checkKey(token)}` },
        { $set: { filename: token } },
      );
    },

    async purge(token) {
      const hidden = await files
        .find({ filename: `${HIDDEN_PREFIX}${checkKey(token)}` }, { projection: { _id: 1 } })
        .toArray();
      for (const file of hidden) await bucket.delete(file._id);
    },

    async sweepPartial(olderThan) {
      const withChunks = (await chunks.distinct('files_id')) as unknown[];
      const complete = new Set(
        ((await files.distinct('_id')) as unknown[]).map((id) => String(id)),
      );
      const orphans = withChunks.filter(
        (id): id is ObjectId =>
          id instanceof ObjectId &&
          !complete.has(String(id)) &&
          id.getTimestamp().getTime() < olderThan.getTime(),
      );
      if (orphans.length) await chunks.deleteMany({ files_id: { $in: orphans } });
      return orphans.length;
    },

    async sweepPartialOf(attemptId) {
      // The driver writes the files document last: without it, the chunks are a dead write's.
      const id = new ObjectId(attemptId);
      if ((await files.countDocuments({ _id: id }, { limit: 1 })) > 0) return 0;
      const { deletedCount } = await chunks.deleteMany({ files_id: id });
      return deletedCount > 0 ? 1 : 0;
    },
  };
}
