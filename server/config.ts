import { resolve } from 'node:path';
import { z } from 'zod';
import { Password } from './users/schemas.ts';

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
  POSTGRESQL_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  EMBEDDED_DB_PORT: port.default(27018),
  UPLOAD_DIR: z.string().min(1).default('./uploads'),
  // Prometheus metrics: GET /metrics with this bearer token, and/or on this loopback port.
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  METRICS_PORT: port.optional(),
  // The built web app (npm run web:build) that `/` serves.
  WEB_DIST_DIR: z.string().min(1).default('./web/dist'),
  OUTBOX_DIR: z.string().min(1).optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Redress <no-reply@redress.local>'),
  ADMIN_EMAIL: z.email().optional(),
  // The same rule as every account's password: the first admin is the one most worth guessing.
  ADMIN_PASSWORD: Password.optional(),
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
  // Escalation dossiers (server/dossier): the CJK font the PDF prints Chinese with.
  DOSSIER_CJK_FONT: z
    .string()
    .min(1)
    .default('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'),
  DOSSIER_CJK_FONT_FAMILY: z.string().min(1).default('NotoSansCJKsc-Regular'),
  // Evidence uploads (server/evidence): limits, storage backend and the sweeps of leftovers.
  UPLOAD_MAX_FILE_BYTES: byteSize.pipe(z.number().int().positive()).default(20 * 1024 ** 2),
  UPLOAD_MAX_FILES: positiveInt.max(100).default(10),
  UPLOAD_MAX_CASE_BYTES: byteSize.pipe(z.number().int().positive()).default(200 * 1024 ** 2),
  EVIDENCE_STORAGE: z.enum(['fs', 'gridfs']).default('fs'),
  UPLOAD_TEMP_MAX_AGE_MS: positiveInt.default(3_600_000),
  EVIDENCE_GC_GRACE_MS: positiveInt.default(86_400_000),
  // Email delivery (server/notifications): retries, claims and the SMTP connection.
  MAIL_MAX_ATTEMPTS: positiveInt.max(100).default(8),
  MAIL_RETRY_BASE_MS: positiveInt.default(60_000),
  MAIL_RETRY_MAX_MS: positiveInt.default(3_600_000),
  MAIL_LEASE_MS: positiveInt.default(180_000),
  MAIL_DISPATCH_INTERVAL_MS: positiveInt.default(5_000),
  MAIL_BATCH_SIZE: positiveInt.max(1_000).default(50),
  DEADLINE_WARNING_HOURS: z.coerce
    .number()
    .nonnegative()
    .max(24 * 90)
    .default(24),
  SMTP_TIMEOUT_MS: positiveInt.default(20_000),
  SMTP_REQUIRE_TLS: booleanFromEnv.default(false),
  SMTP_TLS_REJECT_UNAUTHORIZED: booleanFromEnv.default(true),
  SMTP_TLS_CA_FILE: z.string().min(1).optional(),
});
export type Environment = z.infer<typeof Environment>;

export interface Config {
  env: Environment['NODE_ENV'];
  port: number;
  host: string;
  /** Set when the operator points Redress at an existing MongoDB; else the embedded FerretDB runs. */
  mongodbUri: string | undefined;
  /** Where the embedded FerretDB stores; undefined starts a private PostgreSQL in DATA_DIR/pg. */
  postgresqlUrl: string | undefined;
  dataDir: string;
  embeddedDbPort: number;
  uploadDir: string;
  webDistDir: string;
  metricsToken: string | undefined;
  metricsPort: number | undefined;
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
  /** Dossier PDFs; see server/dossier/README.md. `family` names the face inside a .ttc. */
  dossierFont: { path: string; family: string };
  /** Evidence uploads; see server/evidence/README.md. */
  evidence: {
    storage: 'fs' | 'gridfs';
    maxFileBytes: number;
    maxFiles: number;
    maxCaseBytes: number;
    /** Temp files of uploads older than this are removed (at start and by the sweep). */
    tempMaxAgeMs: number;
    /** Stored content no case references is collected only once it is older than this. */
    gcGraceMs: number;
  };
  /** Email delivery; see server/notifications/README.md. */
  mail: {
    maxAttempts: number;
    retryBaseMs: number;
    retryMaxMs: number;
    leaseMs: number;
    dispatchIntervalMs: number;
    batchSize: number;
    /** How long before a deadline the assignee is warned; 0 turns warnings off. */
    deadlineWarningMs: number;
    smtpTimeoutMs: number;
    requireTls: boolean;
    tlsRejectUnauthorized: boolean;
    tlsCaFile: string | undefined;
  };
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
  // A claim must outlive a whole SMTP exchange (connect, greeting, data), or a slow but live
  // send could be taken over by another dispatcher and the message sent twice.
  if (env.MAIL_LEASE_MS < 3 * env.SMTP_TIMEOUT_MS) {
    throw new ConfigError(
      'Invalid configuration:\n✖ MAIL_LEASE_MS must be at least three times SMTP_TIMEOUT_MS',
    );
  }
  const dataDir = resolve(env.DATA_DIR);
  return Object.freeze({
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    mongodbUri: env.MONGODB_URI,
    postgresqlUrl: env.POSTGRESQL_URL,
    dataDir,
    embeddedDbPort: env.EMBEDDED_DB_PORT,
    uploadDir: resolve(env.UPLOAD_DIR),
    webDistDir: resolve(env.WEB_DIST_DIR),
    metricsToken: env.METRICS_TOKEN,
    metricsPort: env.METRICS_PORT,
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
    dossierFont: Object.freeze({
      path: resolve(env.DOSSIER_CJK_FONT),
      family: env.DOSSIER_CJK_FONT_FAMILY,
    }),
    evidence: Object.freeze({
      storage: env.EVIDENCE_STORAGE,
      maxFileBytes: env.UPLOAD_MAX_FILE_BYTES,
      maxFiles: env.UPLOAD_MAX_FILES,
      maxCaseBytes: env.UPLOAD_MAX_CASE_BYTES,
      tempMaxAgeMs: env.UPLOAD_TEMP_MAX_AGE_MS,
      gcGraceMs: env.EVIDENCE_GC_GRACE_MS,
    }),
    mail: Object.freeze({
      maxAttempts: env.MAIL_MAX_ATTEMPTS,
      retryBaseMs: env.MAIL_RETRY_BASE_MS,
      retryMaxMs: env.MAIL_RETRY_MAX_MS,
      leaseMs: env.MAIL_LEASE_MS,
      dispatchIntervalMs: env.MAIL_DISPATCH_INTERVAL_MS,
      batchSize: env.MAIL_BATCH_SIZE,
      deadlineWarningMs: Math.round(env.DEADLINE_WARNING_HOURS * 3_600_000),
      smtpTimeoutMs: env.SMTP_TIMEOUT_MS,
      requireTls: env.SMTP_REQUIRE_TLS,
      tlsRejectUnauthorized: env.SMTP_TLS_REJECT_UNAUTHORIZED,
      tlsCaFile: env.SMTP_TLS_CA_FILE ? resolve(env.SMTP_TLS_CA_FILE) : undefined,
    }),
  });
}

function parseByteSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(text.trim());
  if (!match) return Number.NaN;
  const units: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
  return Math.floor(Number(match[1]) * (units[(match[2] ?? 'b').toLowerCase()] ?? 1));
}
