import { createHash, randomBytes, randomUUID } from 'node:crypto';
import mongoose, { type Connection, type Types } from 'mongoose';
import type { Clock } from '../clock.ts';
import { isDuplicateKey } from '../db/duplicate-key.ts';
import { ValidationError } from '../errors.ts';

/** How long a set-password link works. */
export const PASSWORD_LINK_TTL_MS = 7 * 24 * 3_600_000;
const TOKEN_PREFIX = 'rdp_';

/**
 * A set-password link for an account opened on someone's behalf. Only the token's sha256 is
 * stored (it is the `_id`, so the lookup is by `_id`); the raw token goes out in the email.
 * A link works once, until `expiresAt`, and only while it is the account's newest.
 */
export interface PasswordLinkRecord {
  _id: string;
  /** Names the link in the outbox and logs without revealing the token. */
  linkId: string;
  userId: Types.ObjectId;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

const schema = new mongoose.Schema<PasswordLinkRecord>(
  {
    _id: { type: String, required: true },
    linkId: { type: String, required: true },
    userId: { type: mongoose.Schema.Types.ObjectId, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
  },
  { collection: 'password_links', versionKey: false },
);
schema.index({ userId: 1 });

/** One use of a link: inserted before the password is set, so a link is spent exactly once. */
const useSchema = new mongoose.Schema(
  { _id: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: 'password_link_uses', versionKey: false },
);

export function createPasswordLinkModels(connection: Connection) {
  return {
    links: connection.model<PasswordLinkRecord>('PasswordLink', schema),
    uses: connection.model('PasswordLinkUse', useSchema),
  };
}
export type PasswordLinkModels = ReturnType<typeof createPasswordLinkModels>;

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A link that does not work, said as a validation problem on the token field. */
function refused(message: string): ValidationError {
  return new ValidationError(message, [{ path: 'token', message }]);
}

export type PasswordLinks = ReturnType<typeof createPasswordLinks>;

export function createPasswordLinks(deps: { models: PasswordLinkModels; clock: Clock }) {
  const { links, uses } = deps.models;
  const { clock } = deps;

  return {
    /** A new link for the account; older ones stop working (deleted, and refused if left). */
    async issue(
      userId: Types.ObjectId,
    ): Promise<{ token: string; linkId: string; expiresAt: Date }> {
      const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + PASSWORD_LINK_TTL_MS);
      const linkId = randomUUID();
      await links.deleteMany({ userId });
      await links.collection.insertOne({
        _id: hashOf(token),
        linkId,
        userId,
        createdAt: now,
        expiresAt,
        usedAt: null,
      } as never);
      return { token, linkId, expiresAt };
    },

    /**
     * Spends a link: returns its account, or throws a 400 problem saying why it does not work
     * (unknown or replaced, expired, already used). The spend is an insert of a unique `_id`,
     * the one atomic step FerretDB offers, so two requests with one link cannot both pass.
     */
    async spend(token: string): Promise<Types.ObjectId> {
      if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) {
        throw refused('This link is not valid. Use the newest link we sent you.');
      }
      const id = hashOf(token);
      const link = await links.findById(id).lean<PasswordLinkRecord>();
      if (!link) {
        throw refused('This link is not valid, or a newer one replaced it. Use the newest link.');
      }
      if (link.usedAt) throw refused('This link was already used. Sign in with your password.');
      if (link.expiresAt.getTime() <= clock.now().getTime()) {
        throw refused('This link has expired. Ask your case officer for a new one.');
      }
      // A replacement whose delete of this one did not happen still wins.
      const siblings = await links.find({ userId: link.userId }).lean<PasswordLinkRecord[]>();
      if (siblings.some((other) => other.createdAt.getTime() > link.createdAt.getTime())) {
        throw refused('A newer link replaced this one. Use the newest link we sent you.');
      }
      try {
        await uses.collection.insertOne({ _id: id, at: clock.now() } as never);
      } catch (error) {
        if (isDuplicateKey(error)) {
          throw refused('This link was already used. Sign in with your password.');
        }
        throw error;
      }
      await links.updateOne({ _id: id }, { $set: { usedAt: clock.now() } });
      return link.userId;
    },
  };
}
