import { createHash, randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import type { Clock } from '../clock.ts';
import { createHourlySweep, hourKey } from '../hour-buckets.ts';
import { isDuplicateKey } from '../db/duplicate-key.ts';
import { TooManyRequestsError, UnauthorizedError } from '../errors.ts';
import type { UserService, AuthenticatedUser } from '../users/service.ts';
import { toUserView } from '../users/service.ts';
import { DUMMY_HASH, verifyPassword } from '../users/passwords.ts';
import type { RateLimitModel, SessionModel, SessionRecord } from './model.ts';
import type { LoginRequest, LoginResponse } from './schemas.ts';

export interface AuthServiceDeps {
  sessions: SessionModel;
  rateLimits: RateLimitModel;
  users: UserService;
  clock: Clock;
  tokenTtlMs: number;
  loginLimits: { perAccount: number; perIp: number; windowMs: number };
}

export type AuthService = ReturnType<typeof createAuthService>;

/** Why a presented token was not accepted; the HTTP layer words it. */
export type TokenFailure = 'invalid' | 'expired';

const TOKEN_PREFIX = 'rdt_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function createAuthService(deps: AuthServiceDeps) {
  const { sessions, rateLimits, users, clock, tokenTtlMs, loginLimits } = deps;

  function windowKeys(email: string, ip: string): [string, string] {
    const window = Math.floor(clock.now().getTime() / loginLimits.windowMs);
    return [`login:account:${email}:${window}`, `login:ip:${ip}:${window}`];
  }

  function retryAfterSeconds(): number {
    const now = clock.now().getTime();
    const windowEnds = (Math.floor(now / loginLimits.windowMs) + 1) * loginLimits.windowMs;
    return Math.max(1, Math.ceil((windowEnds - now) / 1000));
  }

  /**
   * Claims one of the `limit` numbered slots of a window, the lowest free one, and returns its
   * `_id`; undefined when all are taken. FerretDB applies `$inc` by reading and writing back
   * without a lock (docs/database-compatibility.md), so concurrent attempts would lose counts;
   * an insert of a unique `_id` is the write that is atomic there, so exactly `limit` claims
   * succeed however many attempts race.
   */
  async function claimSlot(key: string, limit: number): Promise<string | undefined> {
    // A spent window answers with one lookup: its last slot is taken.
    if (await rateLimits.exists({ _id: `${key}:${limit}` })) return undefined;
    const expiresAt = new Date(clock.now().getTime() + loginLimits.windowMs * 2);
    for (let n = 1; n <= limit; n++) {
      const _id = `${key}:${n}`;
      try {
        await rateLimits.collection.insertOne({
          _id: _id as never,
          count: 1,
          expiresAt,
          expiresHour: hourKey(expiresAt),
        });
        return _id;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    return undefined;
  }

  async function releaseSlots(ids: (string | undefined)[]): Promise<void> {
    await Promise.all(
      ids.filter((id) => id !== undefined).map((id) => rateLimits.deleteOne({ _id: id })),
    );
  }

  /**
   * Takes a sign-in attempt's slots, per account and per address, before its password is
   * checked, so a burst of concurrent guesses cannot all pass a check made before any of them
   * failed: an attempt past a limit is refused without testing its password. The caller gives
   * the slots back when the password was right, so only failures use the limits up.
   */
  async function takeAttempt(email: string, ip: string): Promise<string[]> {
    const [accountKey, ipKey] = windowKeys(email, ip);
    // One after the other, not together: claimed at once, a burst at one account could have
    // its account slots go to attempts that then miss an address slot taken by attempts that
    // miss an account slot, and all of them would give theirs back, letting fewer than the
    // limit be tried. Only attempts holding an account slot compete for the address's.
    const accountSlot = await claimSlot(accountKey, loginLimits.perAccount);
    const slots = [accountSlot, accountSlot && (await claimSlot(ipKey, loginLimits.perIp))];
    if (slots.includes(undefined)) {
      await releaseSlots(slots);
      throw new TooManyRequestsError(
        'Too many failed sign-in attempts; try again later.',
        retryAfterSeconds(),
      );
    }
    return slots as string[];
  }

  /** Set-password attempts with a bad link, per client address and window. */
  function linkKey(ip: string): string {
    const window = Math.floor(clock.now().getTime() / loginLimits.windowMs);
    return `password-link:ip:${ip}:${window}`;
  }

  // The range stays in each filter but only narrows what the hour equality found: FerretDB
  // hands PostgreSQL the equality and checks the rest on the few documents of that hour.
  const sweepSessions = createHourlySweep(clock, {
    bucket: async (hour, now) =>
      (await sessions.deleteMany({ expiresHour: hour, expiresAt: { $lte: now } })).deletedCount,
    full: async (now) => (await sessions.deleteMany({ expiresAt: { $lte: now } })).deletedCount,
  });
  const sweepRateLimits = createHourlySweep(clock, {
    bucket: async (hour, now) =>
      (await rateLimits.deleteMany({ expiresHour: hour, expiresAt: { $lte: now } })).deletedCount,
    full: async (now) => (await rateLimits.deleteMany({ expiresAt: { $lte: now } })).deletedCount,
  });

  return {
    /**
     * Exchanges email and password for an opaque bearer token. Failed attempts are counted
     * per account and per client address in the database, so every instance sees them.
     */
    async login(input: LoginRequest, ip: string): Promise<LoginResponse> {
      const slots = await takeAttempt(input.email, ip);
      const user = await users.findByEmail(input.email);
      const valid = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !valid || user.disabled) {
        throw new UnauthorizedError('The email or password is wrong, or the account is disabled.');
      }
      await releaseSlots(slots);
      const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + tokenTtlMs);
      await sessions.collection.insertOne({
        _id: hashToken(token) as never,
        userId: user._id,
        user: { email: user.email, name: user.name, role: user.role, locale: user.locale },
        createdAt: now,
        expiresAt,
        expiresHour: hourKey(expiresAt),
      });
      return { token, expiresAt: expiresAt.toISOString(), user: toUserView(user) };
    },

    /**
     * Guessing set-password links is hopeless (32 random bytes), but a client that keeps
     * presenting bad ones is stopped like one that keeps failing to sign in: per address, with
     * the sign-in limit.
     */
    async assertLinkNotThrottled(ip: string): Promise<void> {
      if (await rateLimits.exists({ _id: `${linkKey(ip)}:${loginLimits.perIp}` })) {
        throw new TooManyRequestsError(
          'Too many attempts with links that do not work; try again later.',
          retryAfterSeconds(),
        );
      }
    },

    /** One slot per bad link (see claimSlot), so concurrent failures are all counted. */
    async recordLinkFailure(ip: string): Promise<void> {
      await claimSlot(linkKey(ip), loginLimits.perIp);
    },

    /**
     * Counts a self-registration from this address, refusing it past the sign-in limit per
     * address and window: account creation in bulk, and probing which emails have an account
     * (the 409), stay as slow as guessing passwords.
     */
    async takeRegistration(ip: string): Promise<void> {
      const window = Math.floor(clock.now().getTime() / loginLimits.windowMs);
      if (!(await claimSlot(`register:ip:${ip}:${window}`, loginLimits.perIp))) {
        throw new TooManyRequestsError(
          'Too many registrations from this address; try again later.',
          retryAfterSeconds(),
        );
      }
    },

    /** How long a new session lasts; browsers get it as the cookie's Max-Age. */
    sessionTtlMs: tokenTtlMs,

    async logout(token: string): Promise<void> {
      await sessions.deleteOne({ _id: hashToken(token) });
    },

    async authenticate(token: string): Promise<AuthenticatedUser | TokenFailure> {
      if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return 'invalid';
      const session = await sessions.findById(hashToken(token)).lean<SessionRecord>();
      if (!session) return 'invalid';
      if (session.expiresAt.getTime() <= clock.now().getTime()) return 'expired';
      return {
        id: session.userId.toHexString(),
        ...(session.user as Omit<AuthenticatedUser, 'id'>),
      };
    },

    /** Ends every session of an account (disabled, or its role changed). */
    async revokeSessionsOf(userId: string): Promise<number> {
      const result = await sessions.deleteMany({ userId: new Types.ObjectId(userId) });
      return result.deletedCount;
    },

    /**
     * Removes expired sessions and spent rate-limit windows, hour bucket by hour bucket since the
     * last sweep (see server/hour-buckets.ts); safe on any number of instances. Expiry is also
     * checked on every request, so a session is refused from its expiry on, swept or not.
     */
    async sweepExpired(): Promise<{ sessions: number; rateLimits: number }> {
      const [s, r] = await Promise.all([sweepSessions(), sweepRateLimits()]);
      return { sessions: s, rateLimits: r };
    },
  };
}
