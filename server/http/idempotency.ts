import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import mongoose, { type Connection } from 'mongoose';
import type { Clock } from '../clock.ts';
import { ConflictError, UnprocessableError, ValidationError } from '../errors.ts';
import { canonicalJson } from '../canonical-json.ts';
import { isDuplicateKey } from '../db/duplicate-key.ts';
import { createHourlySweep, hourKey } from '../hour-buckets.ts';

interface IdempotencyRecord {
  /** sha256 of caller, endpoint and key: one caller's keys never meet another's. */
  _id: string;
  requestHash: string;
  state: 'pending' | 'done';
  response: { status: number; body: unknown } | null;
  createdAt: Date;
  expiresAt: Date;
  /** `expiresAt`'s UTC hour: the sweep deletes by this equality (server/hour-buckets.ts). */
  expiresHour: string;
}

const schema = new mongoose.Schema<IdempotencyRecord>(
  {
    _id: { type: String, required: true },
    requestHash: { type: String, required: true },
    state: { type: String, required: true },
    response: { type: mongoose.Schema.Types.Mixed, default: null },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    // Not required: keys from before this field are removed by the sweep's start-up pass.
    expiresHour: { type: String, index: true },
  },
  { collection: 'idempotency_keys', versionKey: false },
);

export function createIdempotencyModel(connection: Connection) {
  return connection.model<IdempotencyRecord>('IdempotencyKey', schema);
}
export type IdempotencyModel = ReturnType<typeof createIdempotencyModel>;

const KEY = /^[\w\-.:]{1,200}$/;
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

export type Idempotency = ReturnType<typeof createIdempotency>;

/**
 * Clients retry: a request that carries an `Idempotency-Key` is done once, and a repeat with
 * the same key and body gets the first answer back (`Idempotency-Replayed: true`). The key is
 * claimed with an insert of a unique `_id` (atomic on FerretDB too); a failed first attempt
 * releases it so the client can try again.
 */
export function createIdempotency(deps: { keys: IdempotencyModel; clock: Clock }) {
  const { keys, clock } = deps;
  // Equality on the hour for FerretDB's pushdown; the range only narrows that hour's few keys.
  const sweep = createHourlySweep(clock, {
    bucket: async (hour, now) =>
      (await keys.deleteMany({ expiresHour: hour, expiresAt: { $lte: now } })).deletedCount,
    full: async (now) => (await keys.deleteMany({ expiresAt: { $lte: now } })).deletedCount,
  });
  return {
    async respond(
      req: Request,
      res: Response,
      callerId: string,
      work: () => Promise<{ status: number; body: unknown }>,
    ): Promise<void> {
      const key = req.get('Idempotency-Key');
      if (key === undefined) {
        const result = await work();
        res.status(result.status).json(result.body);
        return;
      }
      if (!KEY.test(key)) {
        throw new ValidationError('The Idempotency-Key header is not valid.', [
          { path: 'headers.idempotency-key', message: '1 to 200 letters, digits, - _ . :' },
        ]);
      }
      const id = createHash('sha256')
        .update(`${callerId}\n${req.method} ${req.baseUrl}${req.path}\n${key}`)
        .digest('hex');
      const requestHash = createHash('sha256')
        .update(canonicalJson(req.body ?? null))
        .digest('hex');
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + IDEMPOTENCY_TTL_MS);
      try {
        await keys.collection.insertOne({
          _id: id as never,
          requestHash,
          state: 'pending',
          response: null,
          createdAt: now,
          expiresAt,
          expiresHour: hourKey(expiresAt),
        });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        const first = await keys.findById(id).lean<IdempotencyRecord>();
        if (!first) throw new ConflictError('This Idempotency-Key is being released; retry.');
        if (first.requestHash !== requestHash) {
          throw new UnprocessableError(
            'This Idempotency-Key was used with a different request body.',
          );
        }
        if (first.state !== 'done' || !first.response) {
          throw new ConflictError('A request with this Idempotency-Key is still in progress.');
        }
        res.setHeader('Idempotency-Replayed', 'true');
        res.status(first.response.status).json(first.response.body);
        return;
      }
      let result: { status: number; body: unknown };
      try {
        result = await work();
      } catch (error) {
        await keys.deleteOne({ _id: id }).catch(() => {});
        throw error;
      }
      await keys.collection.updateOne({ _id: id } as never, {
        $set: { state: 'done', response: result },
      });
      res.status(result.status).json(result.body);
    },

    /** Removes expired keys, hour bucket by hour bucket since the last sweep. */
    async sweepExpired(): Promise<number> {
      return sweep();
    },
  };
}
