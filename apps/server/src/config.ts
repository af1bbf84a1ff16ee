import { resolve } from 'node:path';
import { z } from 'zod';
import { parseHandlingRules, type HandlingRules } from '@cordon/engine';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * Every setting Cordon reads from the environment, with its default. This is the only module that reads
 * process.env; a bad value stops start-up with a message naming the variable.
 */
export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8389),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATA_DIR: z.string().default('./data'),
  CORDON_DEMO: bool.default(true).describe('Seed demo units and users into an empty database'),
  CORDON_DEMO_PASSWORD: z.string().min(6).default('cordon-demo'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
  COOKIE_SECURE: bool.default(false).describe('Set true behind HTTPS'),
  TRUST_PROXY: bool.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WEB_DIST: z.string().optional().describe('Built web app to serve; defaults to apps/web/dist'),
  SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525).describe('Tip inbox SMTP listener; 0 turns it off'),
  SMTP_HOST: z.string().default('127.0.0.1'),
  SMTP_MAX_MESSAGE_MB: z.coerce.number().int().min(1).max(100).default(25),
  TIP_ACKNOWLEDGE_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  TIP_CONCLUDE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  TIP_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(10).describe('Public tip submissions per client address'),
  TIP_READ_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30).describe('Public status reads and messages per client address'),
  TIP_SECRET_MAX_FAILURES: z.coerce.number().int().min(1).max(1_000).default(10).describe('Wrong receipt/secret pairs per address or receipt per 15 minutes'),
  REPORT_SMALL_CELL: z.coerce.number().int().min(1).max(100).default(3).describe('Report figures resting on fewer restricted or secret cases than this are shown as "<k"'),
  CUSTODY_HANDLING_DAYS: z
    .string()
    .default('')
    .superRefine((v, ctx) => {
      try {
        parseHandlingRules(v);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
      }
    })
    .describe('Seized goods handling deadlines per goods category, e.g. "MILK_FOOD=15,*=60" (default: 30 days perishable, 90 otherwise)'),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  demo: boolean;
  demoPassword: string;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  loginRatePerMinute: number;
  cookieSecure: boolean;
  trustProxy: boolean;
  logLevel: string;
  webDist: string;
  smtpPort: number;
  smtpHost: string;
  smtpMaxMessageBytes: number;
  tipAcknowledgeDays: number;
  tipConcludeDays: number;
  tipRatePerMinute: number;
  tipReadRatePerMinute: number;
  tipSecretMaxFailures: number;
  reportSmallCell: number;
  custodyHandlingRules: HandlingRules;
};

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    dataDir: c.DATA_DIR === 'memory://' ? c.DATA_DIR : resolve(c.DATA_DIR),
    demo: c.CORDON_DEMO,
    demoPassword: c.CORDON_DEMO_PASSWORD,
    sessionIdleMinutes: c.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: c.SESSION_ABSOLUTE_HOURS,
    loginMaxFailures: c.LOGIN_MAX_FAILURES,
    loginLockMinutes: c.LOGIN_LOCK_MINUTES,
    loginRatePerMinute: c.LOGIN_RATE_PER_MINUTE,
    cookieSecure: c.COOKIE_SECURE,
    trustProxy: c.TRUST_PROXY,
    logLevel: c.LOG_LEVEL,
    webDist: resolve(c.WEB_DIST ?? new URL('../../web/dist', import.meta.url).pathname),
    smtpPort: c.SMTP_PORT,
    smtpHost: c.SMTP_HOST,
    smtpMaxMessageBytes: c.SMTP_MAX_MESSAGE_MB * 1024 * 1024,
    tipAcknowledgeDays: c.TIP_ACKNOWLEDGE_DAYS,
    tipConcludeDays: c.TIP_CONCLUDE_DAYS,
    tipRatePerMinute: c.TIP_RATE_PER_MINUTE,
    tipReadRatePerMinute: c.TIP_READ_RATE_PER_MINUTE,
    tipSecretMaxFailures: c.TIP_SECRET_MAX_FAILURES,
    reportSmallCell: c.REPORT_SMALL_CELL,
    custodyHandlingRules: parseHandlingRules(c.CUSTODY_HANDLING_DAYS),
  };
}

/** Defaults for tests: in-memory, demo off, quiet. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ DATA_DIR: 'memory://', CORDON_DEMO: 'false', LOG_LEVEL: 'silent' }), ...overrides };
}
