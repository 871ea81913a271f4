import mongoose, { type Connection, type Types } from 'mongoose';

/**
 * One "This solved it": a filing that ended in self-help instead of a case. It carries no
 * personal data (no user, no address), only what the dashboard counts by.
 *
 * One small document per event rather than a counter: FerretDB applies `$inc` as
 * read-then-write without a transaction, so concurrent increments of one counter can be lost,
 * while concurrent inserts never are.
 */
export interface SelfHelpOutcomeRecord {
  _id: Types.ObjectId;
  category: string;
  /** The UTC day ('YYYY-MM-DD'): the counts read day by day, by equality (pushed down). */
  day: string;
  at: Date;
}

const schema = new mongoose.Schema<SelfHelpOutcomeRecord>(
  {
    category: { type: String, required: true },
    day: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'self_help_outcomes', versionKey: false },
);
schema.index({ day: 1 });

export function createSelfHelpOutcomeModel(connection: Connection) {
  return connection.model<SelfHelpOutcomeRecord>('SelfHelpOutcome', schema);
}
export type SelfHelpOutcomeModel = ReturnType<typeof createSelfHelpOutcomeModel>;
