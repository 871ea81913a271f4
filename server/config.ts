import { resolve } from 'node:path';
import { z } from 'zod';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const byteSize = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i, 'a size such as 1mb, 200kb or 1048576')
  .transform(parseByteSize);

/** The environment Redress reads; every variable is optional and validated at start. */
export const Environment = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'a mongodb:// or mongodb+srv:// URI')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  EMBEDDED_DB_PORT: port.default(27018),
  UPLOAD_DIR: z.string().min(1).default('./uploads'),
  OUTBOX_DIR: z.string().min(1).optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Redress <no-reply@redress.local>'),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(12, 'at least 12 characters').optional(),
  REGISTRATION_OPEN: booleanFromEnv.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: z.url().optional(),
  JSON_BODY_LIMIT: byteSize.default(parseByteSize('100kb')),
  TOKEN_TTL_HOURS: positiveInt.max(24 * 366).default(12),
  LOGIN_MAX_ATTEMPTS_PER_ACCOUNT: positiveInt.default(5),
  LOGIN_MAX_ATTEMPTS_PER_IP: positiveInt.default(30),
  LOGIN_WINDOW_MINUTES: positiveInt.default(15),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  SWEEP_INTERVAL_MS: positiveInt.default(30_000),
  TRUST_PROXY: booleanFromEnv.default(false),
});
export type Environment = z.infer<typeof Environment>;

export interface Config {
  env: Environment['NODE_ENV'];
  port: number;
  host: string;
  /** Set when the operator points Redress at an existing MongoDB; else the embedded FerretDB runs. */
  mongodbUri: string | undefined;
  dataDir: string;
  embeddedDbPort: number;
  uploadDir: string;
  outboxDir: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  admin: { email: string; password: string } | undefined;
  registrationOpen: boolean;
  logLevel: Environment['LOG_LEVEL'];
  publicUrl: string | undefined;
  jsonBodyLimitBytes: number;
  tokenTtlMs: number;
  loginLimits: { perAccount: number; perIp: number; windowMs: number };
  shutdownTimeoutMs: number;
  sweepIntervalMs: number;
  trustProxy: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses an environment into a frozen Config, or throws a ConfigError naming every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const present = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = Environment.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  }
  const env = parsed.data;
  if ((env.ADMIN_EMAIL === undefined) !== (env.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError(
      'Invalid configuration:\n✖ ADMIN_EMAIL and ADMIN_PASSWORD must be set together',
    );
  }
  const dataDir = resolve(env.DATA_DIR);
  return Object.freeze({
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    mongodbUri: env.MONGODB_URI,
    dataDir,
    embeddedDbPort: env.EMBEDDED_DB_PORT,
    uploadDir: resolve(env.UPLOAD_DIR),
    outboxDir: resolve(env.OUTBOX_DIR ?? `${dataDir}/outbox`),
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    admin:
      env.ADMIN_EMAIL && env.ADMIN_PASSWORD
        ? { email: env.ADMIN_EMAIL.toLowerCase(), password: env.ADMIN_PASSWORD }
        : undefined,
    registrationOpen: env.REGISTRATION_OPEN,
    logLevel: env.LOG_LEVEL,
    publicUrl: env.PUBLIC_URL,
    jsonBodyLimitBytes: env.JSON_BODY_LIMIT,
    tokenTtlMs: env.TOKEN_TTL_HOURS * 3_600_000,
    loginLimits: {
      perAccount: env.LOGIN_MAX_ATTEMPTS_PER_ACCOUNT,
      perIp: env.LOGIN_MAX_ATTEMPTS_PER_IP,
      windowMs: env.LOGIN_WINDOW_MINUTES * 60_000,
    },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    sweepIntervalMs: env.SWEEP_INTERVAL_MS,
    trustProxy: env.TRUST_PROXY,
  });
}

function parseByteSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(text.trim());
  if (!match) return Number.NaN;
  const units: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
  return Math.floor(Number(match[1]) * (units[(match[2] ?? 'b').toLowerCase()] ?? 1));
}
