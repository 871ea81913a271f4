import { randomBytes } from 'node:crypto';
import { ConflictError } from '../errors.ts';
import type { UserService } from '../users/service.ts';

/** Imported complaints need an owner; each source gets one disabled account (see README). */
export const IMPORT_ACCOUNTS = {
  cfpb: { email: 'imported-cfpb@redress.invalid', name: 'CFPB import (consumer not identified)' },
} as const;

/** Creates the disabled owner account of a source once, and reuses it afterwards. */
export function createImportAccount(deps: {
  users: Pick<UserService, 'findByEmail' | 'createUser' | 'update'>;
}) {
  const { users } = deps;
  return async function importAccount(source: keyof typeof IMPORT_ACCOUNTS): Promise<string> {
    const { email, name } = IMPORT_ACCOUNTS[source];
    const existing = await users.findByEmail(email);
    if (existing) return existing._id.toHexString();
    try {
      // Nobody signs in as it: a random password nobody knows, and the account is disabled.
      const created = await users.createUser({
        email,
        name,
        role: 'complainant',
        locale: 'en',
        password: randomBytes(32).toString('base64url'),
      });
      await users.update(created.id, { disabled: true });
      return created.id;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const raced = await users.findByEmail(email);
      if (!raced) throw error;
      return raced._id.toHexString();
    }
  };
}
