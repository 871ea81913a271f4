import mongoose, { type Connection, type Types } from 'mongoose';

export interface SessionRecord {
  /**
   * sha256 of the bearer token (a leaked database leaks no usable token). It is the `_id`
   * because FerretDB's SQLite backend uses no secondary index: only `_id` lookups avoid a
   * collection scan, and this lookup runs on every request.
   */
  _id: string;
  userId: Types.ObjectId;
  /** The account as it was at sign-in; changing role or disabling it revokes its sessions. */
  user: { email: string; name: string; role: string; locale: string };
  createdAt: Date;
  expiresAt: Date;
  /** `expiresAt`'s UTC hour: the sweep deletes by this equality (server/hour-buckets.ts). */
  expiresHour: string;
}

const sessionSchema = new mongoose.Schema<SessionRecord>(
  {
    _id: { type: String, required: true },
    userId: { type: mongoose.Schema.Types.ObjectId, required: true, index: true },
    user: { type: mongoose.Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
    // Checked on every request, swept in code by hour bucket: FerretDB has no TTL indexes.
    expiresAt: { type: Date, required: true },
    // Not required: sessions from before this field are removed by the sweep's start-up pass.
    expiresHour: { type: String, index: true },
  },
  { collection: 'sessions', versionKey: false },
);

export interface RateLimitRecord {
  _id: string;
  count: number;
  expiresAt: Date;
  expiresHour: string;
}

const rateLimitSchema = new mongoose.Schema<RateLimitRecord>(
  {
    _id: { type: String, required: true },
    count: { type: Number, required: true },
    expiresAt: { type: Date, required: true },
    expiresHour: { type: String, index: true },
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
