import { createHash, randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import type { Clock } from '../clock.ts';
import { createHourlySweep, hourKey } from '../hour-buckets.ts';
import { TooManyRequestsError, UnauthorizedError } from '../errors.ts';
import type { UserService, AuthenticatedUser } from '../users/service.ts';
import { toUserView } from '../users/service.ts';
import { DUMMY_HASH, verifyPassword } from '../users/passwords.ts';
import type { RateLimitModel, RateLimitRecord, SessionModel, SessionRecord } from './model.ts';
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

  async function assertNotThrottled(email: string, ip: string): Promise<void> {
    const [accountKey, ipKey] = windowKeys(email, ip);
    // Two `_id` lookups: an `$in` is not pushed down to PostgreSQL (server/db/pushdown.ts).
    const counters = await Promise.all(
      [accountKey, ipKey].map((key) => rateLimits.findById(key).lean<RateLimitRecord>()),
    );
    const count = (key: string) => counters.find((c) => c?._id === key)?.count ?? 0;
    if (count(accountKey) >= loginLimits.perAccount || count(ipKey) >= loginLimits.perIp) {
      const windowEnds =
        (Math.floor(clock.now().getTime() / loginLimits.windowMs) + 1) * loginLimits.windowMs;
      const retryAfterSeconds = Math.max(1, Math.ceil((windowEnds - clock.now().getTime()) / 1000));
      throw new TooManyRequestsError(
        'Too many failed sign-in attempts; try again later.',
        retryAfterSeconds,
      );
    }
  }

  async function recordFailure(email: string, ip: string): Promise<void> {
    const expiresAt = new Date(clock.now().getTime() + loginLimits.windowMs * 2);
    await rateLimits.bulkWrite(
      windowKeys(email, ip).map((key) => ({
        updateOne: {
          filter: { _id: key },
          update: { $inc: { count: 1 }, $set: { expiresAt, expiresHour: hourKey(expiresAt) } },
          upsert: true,
        },
      })),
    );
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
      await assertNotThrottled(input.email, ip);
      const user = await users.findByEmail(input.email);
      const valid = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !valid || user.disabled) {
        await recordFailure(input.email, ip);
        throw new UnauthorizedError('The email or password is wrong, or the account is disabled.');
      }
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
      const counter = await rateLimits.findById(linkKey(ip)).lean<RateLimitRecord>();
      if ((counter?.count ?? 0) >= loginLimits.perIp) {
        const windowEnds =
          (Math.floor(clock.now().getTime() / loginLimits.windowMs) + 1) * loginLimits.windowMs;
        throw new TooManyRequestsError(
          'Too many attempts with links that do not work; try again later.',
          Math.max(1, Math.ceil((windowEnds - clock.now().getTime()) / 1000)),
        );
      }
    },

    async recordLinkFailure(ip: string): Promise<void> {
      const expiresAt = new Date(clock.now().getTime() + loginLimits.windowMs * 2);
      await rateLimits.updateOne(
        { _id: linkKey(ip) },
        { $inc: { count: 1 }, $set: { expiresAt, expiresHour: hourKey(expiresAt) } },
        { upsert: true },
      );
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
