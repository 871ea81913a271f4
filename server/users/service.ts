import { Types } from 'mongoose';
import type { Clock } from '../clock.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { isDuplicateKey } from '../db/duplicate-key.ts';
import type { UserModel, UserRecord } from './model.ts';
import { randomBytes } from 'node:crypto';
import { hashPassword } from './passwords.ts';
import { contactView, type ContactView, type UpdateContactRequest } from './contact.ts';
import type { CreateUserRequest, Locale, Role, UpdateUserRequest, UserView } from './schemas.ts';

export type { Role, Locale };
export type { AuthenticatedUser } from '../identity.ts';

export interface UserServiceDeps {
  users: UserModel;
  clock: Clock;
}

export type UserService = ReturnType<typeof createUserService>;

export function toUserView(user: UserRecord): UserView {
  return {
    id: user._id.toHexString(),
    email: user.email,
    name: user.name,
    role: user.role,
    locale: user.locale,
    disabled: user.disabled,
    createdAt: user.createdAt.toISOString(),
  };
}

export function createUserService({ users }: UserServiceDeps) {
  /** Creates an account; a taken email is a conflict, not a silent overwrite. */
  async function createUser(input: CreateUserRequest): Promise<UserView> {
    const passwordHash = await hashPassword(input.password);
    try {
      const created = await users.create({
        email: input.email,
        name: input.name,
        role: input.role,
        locale: input.locale,
        passwordHash,
        disabled: false,
      });
      return toUserView(created.toObject());
    } catch (error) {
      if (isDuplicateKey(error))
        throw new ConflictError('An account with this email already exists.');
      throw error;
    }
  }

  return {
    createUser,

    /**
     * A complainant account opened by an officer: its password is the hash of random bytes
     * nobody knows (so sign-in fails the same way, in the same time, as a wrong password) until
     * its owner sets one with the emailed link.
     */
    async createWithoutPassword(input: {
      email: string;
      name: string;
      locale: Locale;
    }): Promise<UserView> {
      return createUser({
        ...input,
        role: 'complainant',
        password: randomBytes(32).toString('base64url'),
      });
    },

    /** Sets a new password (the caller checked the right to); false when the account is gone. */
    async setPassword(id: Types.ObjectId, password: string): Promise<boolean> {
      const passwordHash = await hashPassword(password);
      const result = await users.updateOne({ _id: id }, { $set: { passwordHash } });
      return result.matchedCount === 1;
    },

    /** Enabled officers, by name: who a case can be assigned to. */
    async listOfficers(): Promise<{ id: string; name: string; email: string }[]> {
      const rows = await users
        .find({ role: 'officer' }, { name: 1, email: 1, disabled: 1 })
        .lean<Pick<UserRecord, '_id' | 'name' | 'email' | 'disabled'>[]>();
      return rows
        .filter((row) => !row.disabled)
        .map((row) => ({ id: row._id.toHexString(), name: row.name, email: row.email }))
        .sort((a, b) => a.name.localeCompare(b.name) || a.email.localeCompare(b.email));
    },

    async findById(id: string): Promise<UserRecord | null> {
      if (!Types.ObjectId.isValid(id)) return null;
      return users.findById(id).lean<UserRecord>();
    },

    /** A complainant's contact details; null when there is no such complainant. */
    async contactOf(id: string): Promise<ContactView | null> {
      if (!Types.ObjectId.isValid(id)) return null;
      const found = await users.findById(id).lean<UserRecord>();
      return found && found.role === 'complainant' ? contactView(found) : null;
    },

    /** Replaces a complainant's contact details (null removes one); null when no such complainant. */
    async setContact(id: string, contact: UpdateContactRequest): Promise<ContactView | null> {
      if (!Types.ObjectId.isValid(id)) return null;
      const updated = await users
        .findOneAndUpdate(
          { _id: new Types.ObjectId(id), role: 'complainant' },
          { $set: { phone: contact.phone, postalAddress: contact.postalAddress } },
          { returnDocument: 'after' },
        )
        .lean<UserRecord>();
      return updated ? contactView(updated) : null;
    },

    async findByEmail(email: string): Promise<UserRecord | null> {
      return users.findOne({ email: email.toLowerCase() }).lean<UserRecord>();
    },

    /** Lists accounts oldest first; `after` is the last id of the previous page. */
    async list(filter: { role?: Role; limit: number; after?: string }) {
      const query: Record<string, unknown> = {};
      if (filter.role) query.role = filter.role;
      if (filter.after) query._id = { $gt: new Types.ObjectId(filter.after) };
      const rows = await users
        .find(query)
        .sort({ _id: 1 })
        .limit(filter.limit + 1)
        .lean<UserRecord[]>();
      const page = rows.slice(0, filter.limit);
      return {
        items: page.map(toUserView),
        nextCursor: rows.length > filter.limit ? page.at(-1)!._id.toHexString() : null,
      };
    },

    async update(id: string, change: UpdateUserRequest): Promise<UserView> {
      const updated = await users
        .findOneAndUpdate(
          { _id: new Types.ObjectId(id) },
          { $set: change },
          { returnDocument: 'after' },
        )
        .lean<UserRecord>();
      if (!updated) throw new NotFoundError('user');
      return toUserView(updated);
    },

    /** Creates the first admin from configuration when no admin exists yet. */
    async ensureAdmin(admin: { email: string; password: string } | undefined): Promise<boolean> {
      if (!admin) return false;
      if (await users.exists({ role: 'admin' })) return false;
      try {
        await createUser({ ...admin, name: 'Administrator', role: 'admin', locale: 'en' });
        return true;
      } catch (error) {
        // Another instance bootstrapped it first, or the email is taken by a non-admin.
        if (error instanceof ConflictError) return false;
        throw error;
      }
    },
  };
}
