import mongoose, { type Connection, type Types } from 'mongoose';
import type { PostalAddress } from './contact.ts';
import type { Locale, Role } from './schemas.ts';

export interface UserRecord {
  _id: Types.ObjectId;
  email: string;
  name: string;
  role: Role;
  locale: Locale;
  passwordHash: string;
  disabled: boolean;
  /** E.164; absent until the complainant gives one. Personal data (server/privacy). */
  phone?: string | null;
  /** Absent until given. Personal data (server/privacy). */
  postalAddress?: PostalAddress | null;
  createdAt: Date;
  updatedAt: Date;
}

const userSchema = new mongoose.Schema<UserRecord>(
  {
    email: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    role: { type: String, required: true, index: true },
    locale: { type: String, required: true },
    passwordHash: { type: String, required: true },
    disabled: { type: Boolean, required: true, default: false },
    phone: { type: String, default: undefined },
    // Validated by the API (contact.ts); stored as given, so no subdocument schema to drift.
    postalAddress: { type: mongoose.Schema.Types.Mixed, default: undefined },
  },
  { timestamps: true, collection: 'users', versionKey: false },
);

export function createUserModel(connection: Connection) {
  return connection.model<UserRecord>('User', userSchema);
}
export type UserModel = ReturnType<typeof createUserModel>;
