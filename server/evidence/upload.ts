import { once } from 'node:events';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import multer from 'multer';
import {
  AppError,
  PayloadTooLargeError,
  UnsupportedMediaError,
  ValidationError,
} from '../errors.ts';
import { sanitizeFilename } from './filename.ts';
import type { MediaType } from './schemas.ts';
import { TypeSniffer } from './sniff.ts';

/** A received file: whole, hashed and sniffed, waiting in the temp directory. */
export interface StagedFile {
  tempPath: string;
  sha256: string;
  size: number;
  mediaType: MediaType;
  originalName: string;
  /** What the client said it was; kept for the log when it disagrees with the bytes. */
  declaredType: string;
}

export interface ReceivedUpload {
  files: StagedFile[];
  /** The form's text fields, unvalidated. */
  fields: Record<string, unknown>;
  /** Removes the temp files; safe to call twice. */
  discard(): Promise<void>;
}

export interface UploadLimits {
  maxFileBytes: number;
  maxFiles: number;
  /** What the case may still take, over all files of this request. */
  remainingCaseBytes: number;
}

export const FILES_FIELD = 'files';
const MAX_TEXT_FIELDS = 8;
// A 2,000-character description in 4-byte characters fits; zod then checks the real limit.
const MAX_FIELD_BYTES = 16 * 1024;
// Multipart framing around each part is small; anything far beyond the limits is refused unread.
const FRAMING_ALLOWANCE = 1024 * 1024;

function mb(bytes: number): string {
  return `${Math.round((bytes / 1024 ** 2) * 10) / 10} MB`;
}

/**
 * A multer storage engine that streams each file into its own temp file while hashing it,
 * counting it against the limits and sniffing its type, and gives up the moment one of those
 * says no (the temp file is removed before the error is reported). It never holds more than a
 * chunk and the 4 kB sniffing head in memory.
 */
class StagingEngine implements multer.StorageEngine {
  readonly staged = new Map<string, StagedFile>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly tempPaths = new Set<string>();
  /** Bytes of all files of this request so far, counted against what the case may still take. */
  private readonly requestBytes = { total: 0 };

  constructor(
    private readonly tempDir: string,
    private readonly limits: UploadLimits,
  ) {}

  _handleFile(
    _req: Request,
    file: Express.Multer.File,
    callback: (error?: unknown, info?: Partial<Express.Multer.File>) => void,
  ): void {
    const work = this.stage(file);
    this.inFlight.add(work);
    work.then(
      (staged) => callback(null, { path: staged.tempPath, size: staged.size }),
      (error: unknown) => callback(error),
    );
    void work.catch(() => {}).finally(() => this.inFlight.delete(work));
  }

  _removeFile(
    _req: Request,
    file: Express.Multer.File,
    callback: (error: Error | null) => void,
  ): void {
    if (!file.path) {
      callback(null);
      return;
    }
    rm(file.path, { force: true }).then(
      () => callback(null),
      (error: Error) => callback(error),
    );
  }

  /** Waits for files still being written, then removes every temp file this request made. */
  async discard(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
    await Promise.all([...this.tempPaths].map((path) => rm(path, { force: true })));
    this.tempPaths.clear();
  }

  private async stage(file: Express.Multer.File): Promise<StagedFile> {
    const originalName = sanitizeFilename(file.originalname);
    const tempPath = join(this.tempDir, `${randomUUID()}.part`);
    this.tempPaths.add(tempPath);
    const hash = createHash('sha256');
    const sniffer = new TypeSniffer({ name: originalName, type: file.mimetype ?? '' });
    let size = 0;
    const { maxFileBytes, remainingCaseBytes } = this.limits;
    const requestBytes = this.requestBytes;

    const inspect = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        requestBytes.total += chunk.length;
        if (size > maxFileBytes) {
          done(
            new PayloadTooLargeError(
              `"${originalName}" is larger than ${mb(maxFileBytes)}, the limit for one file.`,
            ),
          );
          return;
        }
        if (requestBytes.total > remainingCaseBytes) {
          done(
            new PayloadTooLargeError(
              `The case can take ${mb(Math.max(0, remainingCaseBytes))} more evidence; this upload is larger.`,
            ),
          );
          return;
        }
        hash.update(chunk);
        let sniffing: Promise<void> | undefined;
        try {
          sniffing = sniffer.push(chunk);
        } catch (error) {
          done(error as Error);
          return;
        }
        if (!sniffing) {
          done(null, chunk);
          return;
        }
        sniffing.then(
          () => done(null, chunk),
          (error: unknown) => done(error as Error),
        );
      },
      flush(done) {
        if (size === 0) {
          done(new ValidationError(`"${originalName}" is empty.`, emptyFileIssue));
          return;
        }
        done();
      },
    });

    // A deeper write queue keeps the disk busy while the next chunks arrive; still bounded.
    const out = createWriteStream(tempPath, { flags: 'wx', highWaterMark: 1024 * 1024 });
    try {
      await pipeline(file.stream as Readable, inspect, out);
      const mediaType = await sniffer.finish();
      const staged: StagedFile = {
        tempPath,
        sha256: hash.digest('hex'),
        size,
        mediaType,
        originalName,
        declaredType: file.mimetype ?? '',
      };
      this.staged.set(tempPath, staged);
      return staged;
    } catch (error) {
      // A failed pipeline destroys the stream while its open() may still be under way; the
      // file appears when that open completes, so remove it only once the stream is closed.
      if (!out.closed) await once(out, 'close').catch(() => {});
      await rm(tempPath, { force: true });
      this.tempPaths.delete(tempPath);
      throw error;
    }
  }
}

const emptyFileIssue = [{ path: `body.${FILES_FIELD}`, message: 'a file must not be empty' }];

/**
 * Reads a multipart upload into temp files under `tempDir`. Every failure is an AppError with
 * a 4xx status (the problem handler renders it), and by the time it is thrown no temp file of
 * this request is left. On success the caller owns the temp files: `discard()` them when done.
 */
export async function receiveUpload(
  req: Request,
  res: Response,
  tempDir: string,
  limits: UploadLimits,
): Promise<ReceivedUpload> {
  if (!req.is('multipart/form-data')) {
    throw new UnsupportedMediaError(
      `Send evidence as multipart/form-data with the files in the field "${FILES_FIELD}".`,
    );
  }
  const declaredLength = Number(req.headers['content-length']);
  const ceiling =
    Math.min(limits.maxFiles * limits.maxFileBytes, Math.max(0, limits.remainingCaseBytes)) +
    FRAMING_ALLOWANCE;
  if (Number.isFinite(declaredLength) && declaredLength > ceiling) {
    // Nothing of this body will be kept: close the connection rather than read it all.
    res.setHeader('Connection', 'close');
    throw new PayloadTooLargeError(
      `The upload is ${mb(declaredLength)}; at most ${mb(ceiling - FRAMING_ALLOWANCE)} would be accepted here.`,
    );
  }

  await mkdir(tempDir, { recursive: true });
  const engine = new StagingEngine(tempDir, limits);
  const parse = multer({
    storage: engine,
    // Browsers send UTF-8 file names without saying so; busboy's default would read them as
    // Latin-1 and turn 银行流水.pdf into mojibake.
    defParamCharset: 'utf8',
    // The name is sanitized here; busboy's own basename would turn `..` into no name at all, and
    // multer silently drops a file without a name.
    preservePath: true,
    limits: {
      files: limits.maxFiles,
      fields: MAX_TEXT_FIELDS,
      fieldSize: MAX_FIELD_BYTES,
      parts: limits.maxFiles + MAX_TEXT_FIELDS,
      fieldNameSize: 100,
    },
  }).array(FILES_FIELD, limits.maxFiles);

  try {
    await new Promise<void>((resolve, reject) => {
      parse(req, res, (error?: unknown) => (error ? reject(error) : resolve()));
    });
  } catch (error) {
    await engine.discard();
    throw toUploadError(error, limits);
  }
  // multer lists the files in the order the form sent them, whichever finished writing first.
  const files = ((req.files ?? []) as Express.Multer.File[])
    .map((file) => engine.staged.get(file.path))
    .filter((staged): staged is StagedFile => staged !== undefined);
  if (files.length === 0) {
    await engine.discard();
    throw new ValidationError(`Attach at least one file in the field "${FILES_FIELD}".`, [
      { path: `body.${FILES_FIELD}`, message: 'at least one file is required' },
    ]);
  }
  return {
    files,
    fields: { ...(req.body as Record<string, unknown>) },
    discard: () => engine.discard(),
  };
}

const MULTIPART_SYNTAX =
  /^(Unexpected end of form|Malformed part header|Multipart: Boundary not found|Unexpected end of file)/;

/** Maps what multer and busboy throw onto the problems a client can act on. */
function toUploadError(error: unknown, limits: UploadLimits): unknown {
  if (error instanceof AppError) return error;
  if (error instanceof multer.MulterError) {
    const field = error.field ? `body.${error.field}` : 'body';
    switch (error.code) {
      case 'LIMIT_FILE_COUNT':
        return tooManyFiles(limits);
      case 'LIMIT_UNEXPECTED_FILE':
        return error.field === FILES_FIELD
          ? tooManyFiles(limits)
          : new ValidationError(`Files go in the field "${FILES_FIELD}".`, [
              { path: field, message: `unexpected file field; use "${FILES_FIELD}"` },
            ]);
      case 'LIMIT_FILE_SIZE':
        return new PayloadTooLargeError(
          `A file is larger than ${mb(limits.maxFileBytes)}, the limit for one file.`,
        );
      case 'LIMIT_FIELD_VALUE':
        return new ValidationError(`The field ${error.field ?? ''} is too long.`, [
          { path: field, message: 'too long' },
        ]);
      default:
        return new ValidationError(`The multipart form is not acceptable: ${error.message}.`, [
          { path: field, message: error.message },
        ]);
    }
  }
  if (error instanceof Error) {
    if (/^Request (aborted|closed)$/.test(error.message) || errorCode(error) === 'ECONNRESET') {
      return new AppError('request-aborted', 400, 'The upload was cut off before it ended.');
    }
    if (MULTIPART_SYNTAX.test(error.message)) {
      return new AppError(
        'malformed-multipart',
        400,
        `The multipart body is malformed or cut off (${error.message}).`,
      );
    }
  }
  return error;
}

function tooManyFiles(limits: UploadLimits): ValidationError {
  return new ValidationError(`At most ${limits.maxFiles} files can be uploaded at once.`, [
    { path: `body.${FILES_FIELD}`, message: `at most ${limits.maxFiles} files` },
  ]);
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}
