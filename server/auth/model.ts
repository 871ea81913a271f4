import mongoose, { type Connection, type Types } from 'mongoose';

export interface SessionRecord {
  _id: Types.ObjectId;
  /** sha256 of the bearer token: a leaked database does not leak usable tokens. */
  tokenHash: string;
  userId: Types.ObjectId;
  createdAt: Date;
  expiresAt: Date;
}

const sessionSchema = new mongoose.Schema<SessionRecord>(
  {
    tokenHash: { type: String, required: true, unique: true },
    userId: { type: mongoose.Schema.Types.ObjectId, required: true, index: true },
    createdAt: { type: Date, required: true },
    // Swept in code: FerretDB has no TTL indexes.
    expiresAt: { type: Date, required: true, index: true },
  },
  { collection: 'sessions', versionKey: false },
);

export interface RateLimitRecord {
  _id: string;
  count: number;
  expiresAt: Date;
}

const rateLimitSchema = new mongoose.Schema<RateLimitRecord>(
  {
    _id: { type: String, required: true },
    count: { type: Number, required: true },
    expiresAt: { type: Date, required: true, index: true },
  },
  { collection: 'rate_limits', versionKey: false },
);

export function createSessionModel(connection: Connection) {
  return connection.model<SessionRecord>('Session', sessionSchema);
}
export type SessionModel = ReturnType<typeof createSessionModel>;

export function createRateLimitModel(connection: Connection) {
  return connection.model<RateLimitRecord>('RateLimit', rateLimitSchema);
}
export type RateLimitModel = ReturnType<typeof createRateLimitModel>;
