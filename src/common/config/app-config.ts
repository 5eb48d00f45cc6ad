import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';

const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase());
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

const URL_OPTS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/**
 * Every environment variable the service reads. `config/.env.example` documents each one;
 * keep the two in step.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @Transform(emptyToUndefined) @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @IsString()
  DATA_DIR = './.data';

  @Transform(emptyToUndefined) @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  EMBEDDED_PG_PORT?: number;

  @Type(() => Number) @IsInt() @Min(1) @Max(200)
  DB_POOL_SIZE = 10;

  @Transform(emptyToUndefined) @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'MASTER_KEY must be 32 bytes, base64-encoded (44 characters)' })
  MASTER_KEY?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(toBool) @IsBoolean()
  SCHEDULER_ENABLED = true;

  @Transform(toBool) @IsBoolean()
  WORKERS_ENABLED = true;

  /** Sync runs executed at the same time by this replica's workers. */
  @Type(() => Number) @IsInt() @Min(1) @Max(32)
  SYNC_CONCURRENCY = 2;

  /** Attempts of a run that fails with transient errors (network, 429, 5xx, lock timeouts) before it is marked failed. */
  @Type(() => Number) @IsInt() @Min(1) @Max(50)
  SYNC_MAX_ATTEMPTS = 5;

  /** First retry delay of a transient failure; doubles per attempt (with jitter) up to SYNC_RETRY_MAX_MS. */
  @Type(() => Number) @IsInt() @Min(0)
  SYNC_RETRY_BASE_MS = 30_000;

  @Type(() => Number) @IsInt() @Min(0)
  SYNC_RETRY_MAX_MS = 1_800_000;

  @Transform(emptyToUndefined) @IsOptional() @IsUrl(URL_OPTS)
  PUBLIC_URL?: string;

  /** Xero API host; the connector appends `/api.xro/2.0/...` and `/connections`. */
  @IsUrl(URL_OPTS)
  XERO_API_URL = 'https://api.xero.com';

  /** Xero identity server; token endpoint `/connect/token`. */
  @IsUrl(URL_OPTS)
  XERO_IDENTITY_URL = 'https://identity.xero.com';

  /** Xero login server; consent page `/identity/connect/authorize`. */
  @IsUrl(URL_OPTS)
  XERO_LOGIN_URL = 'https://login.xero.com';

  /** Xero app used by the consent flow (`GET /v1/connections/{id}/oauth/authorize`). */
  @Transform(emptyToUndefined) @IsOptional() @IsString()
  XERO_CLIENT_ID?: string;

  @Transform(emptyToUndefined) @IsOptional() @IsString()
  XERO_CLIENT_SECRET?: string;

  /** QuickBooks Online Accounting API (production companies). */
  @IsUrl(URL_OPTS)
  QBO_API_URL = 'https://quickbooks.api.intuit.com';

  /** QuickBooks Online Accounting API for sandbox companies (`settings.environment: sandbox`). */
  @IsUrl(URL_OPTS)
  QBO_SANDBOX_API_URL = 'https://sandbox-quickbooks.api.intuit.com';

  /** Intuit OAuth2 token endpoint (production and sandbox alike). */
  @IsUrl(URL_OPTS)
  QBO_OAUTH_URL = 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer';

  /** Intuit consent page of the QuickBooks authorization flow. */
  @IsUrl(URL_OPTS)
  QBO_AUTHORIZE_URL = 'https://appcenter.intuit.com/connect/oauth2';

  /** QuickBooks app used by the consent flow (`GET /v1/connections/{id}/quickbooks/authorize`). */
  @Transform(emptyToUndefined) @IsOptional() @IsString()
  QBO_CLIENT_ID?: string;

  @Transform(emptyToUndefined) @IsOptional() @IsString()
  QBO_CLIENT_SECRET?: string;

  /** Sage Business Cloud Accounting API v3.1. */
  @IsUrl(URL_OPTS)
  SAGE_API_URL = 'https://api.accounting.sage.com/v3.1';

  /** Sage OAuth2 token endpoint. */
  @IsUrl(URL_OPTS)
  SAGE_OAUTH_URL = 'https://oauth.accounting.sage.com/token';

  /** Sage consent page of the authorization flow. */
  @IsUrl(URL_OPTS)
  SAGE_AUTHORIZE_URL = 'https://www.sageone.com/oauth2/auth/central';

  /** Sage app used by the consent flow (`GET /v1/connections/{id}/sage/authorize`). */
  @Transform(emptyToUndefined) @IsOptional() @IsString()
  SAGE_CLIENT_ID?: string;

  @Transform(emptyToUndefined) @IsOptional() @IsString()
  SAGE_CLIENT_SECRET?: string;

  /** SMTP server for reminder e-mails, as a URL (smtp://user:pass@host:587, smtps://...); or the SMTP_HOST family. */
  @Transform(emptyToUndefined) @IsOptional() @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @Transform(emptyToUndefined) @IsOptional() @IsString()
  SMTP_HOST?: string;

  @Type(() => Number) @IsInt() @Min(1) @Max(65535)
  SMTP_PORT = 587;

  @Transform(emptyToUndefined) @IsOptional() @IsString()
  SMTP_USER?: string;

  @Transform(emptyToUndefined) @IsOptional() @IsString()
  SMTP_PASS?: string;

  /** Implicit TLS (port 465); otherwise STARTTLS when the server offers it. */
  @Transform(toBool) @IsBoolean()
  SMTP_SECURE = false;

  /** Default sender of reminders (tenants may set their own in settings.dunning.from). */
  @IsString()
  DUNNING_FROM = 'Ledgerbridge <no-reply@localhost>';

  /**
   * Mailbox that receives bounces (e.g. bounces@example.com). When set, each reminder e-mail
   * is sent with the return path `bounces+<message id>@example.com` (VERP), so that a bounce
   * names its message even when the remote server returns none of its headers.
   */
  @Transform(emptyToUndefined) @IsOptional() @Matches(/^[^\s@+]+@[^\s@]+$/, { message: 'DUNNING_BOUNCE_ADDRESS must be an address like bounces@example.com (no "+")' })
  DUNNING_BOUNCE_ADDRESS?: string;

  /** Hold a tenant's reminders when its connection's last successful sync is older than this (hours; 0 = never hold). */
  @Type(() => Number) @IsInt() @Min(0) @Max(8760)
  DUNNING_SYNC_FRESHNESS_HOURS = 36;

  /** Delivery attempts of a reminder before it is flagged as failed. */
  @Type(() => Number) @IsInt() @Min(1) @Max(50)
  DUNNING_MAX_DELIVERY_ATTEMPTS = 5;

  /** Local hour (tenant timezone) of the daily dunning run. */
  @Type(() => Number) @IsInt() @Min(0) @Max(23)
  DUNNING_RUN_HOUR = 8;
}

export type LogLevel = EnvironmentVariables['LOG_LEVEL'];

/** The typed, validated configuration every module receives. Built once, at boot. */
export interface AppConfig {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly embeddedPgPort: number | undefined;
  readonly dbPoolSize: number;
  /** Raw base64 master key; undefined until resolved (development may generate one). */
  readonly masterKey: string | undefined;
  readonly logLevel: string;
  readonly schedulerEnabled: boolean;
  readonly workersEnabled: boolean;
  readonly sync: { readonly concurrency: number; readonly maxAttempts: number; readonly retryBaseMs: number; readonly retryMaxMs: number };
  readonly publicUrl: string;
  readonly xero: {
    readonly apiUrl: string;
    readonly identityUrl: string;
    readonly loginUrl: string;
    readonly clientId: string | undefined;
    readonly clientSecret: string | undefined;
  };
  readonly quickbooks: {
    readonly apiUrl: string;
    readonly sandboxApiUrl: string;
    readonly oauthUrl: string;
    readonly authorizeUrl: string;
    readonly clientId: string | undefined;
    readonly clientSecret: string | undefined;
  };
  readonly sage: { readonly apiUrl: string; readonly oauthUrl: string; readonly authorizeUrl: string; readonly clientId: string | undefined; readonly clientSecret: string | undefined };
  readonly smtp: {
    readonly url: string | undefined;
    readonly host: string | undefined;
    readonly port: number;
    readonly user: string | undefined;
    readonly pass: string | undefined;
    readonly secure: boolean;
  };
  readonly dunning: { readonly from: string; readonly bounceAddress: string | undefined; readonly syncFreshnessHours: number; readonly maxDeliveryAttempts: number; readonly runHour: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function validateEnvironment(raw: Record<string, string | undefined>): EnvironmentVariables {
  const vars = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
  const errors = validateSync(vars, { whitelist: false, forbidUnknownValues: false });
  const problems = errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((msg) => `${e.property}: ${msg} (got ${JSON.stringify(raw[e.property])})`),
  );
  if (vars.NODE_ENV === 'production' && !vars.MASTER_KEY) {
    problems.push('MASTER_KEY: required when NODE_ENV=production (32 random bytes, base64)');
  }
  if (problems.length) throw new ConfigError(problems);
  return vars;
}

export function buildConfig(vars: EnvironmentVariables): AppConfig {
  return Object.freeze({
    env: vars.NODE_ENV,
    port: vars.PORT,
    host: vars.HOST,
    databaseUrl: vars.DATABASE_URL,
    dataDir: vars.DATA_DIR,
    embeddedPgPort: vars.EMBEDDED_PG_PORT,
    dbPoolSize: vars.DB_POOL_SIZE,
    masterKey: vars.MASTER_KEY,
    logLevel: vars.LOG_LEVEL,
    schedulerEnabled: vars.SCHEDULER_ENABLED,
    workersEnabled: vars.WORKERS_ENABLED,
    sync: {
      concurrency: vars.SYNC_CONCURRENCY,
      maxAttempts: vars.SYNC_MAX_ATTEMPTS,
      retryBaseMs: vars.SYNC_RETRY_BASE_MS,
      retryMaxMs: vars.SYNC_RETRY_MAX_MS,
    },
    publicUrl: vars.PUBLIC_URL ?? `http://localhost:${vars.PORT}`,
    xero: {
      apiUrl: vars.XERO_API_URL.replace(/\/+$/, ''),
      identityUrl: vars.XERO_IDENTITY_URL.replace(/\/+$/, ''),
      loginUrl: vars.XERO_LOGIN_URL.replace(/\/+$/, ''),
      clientId: vars.XERO_CLIENT_ID,
      clientSecret: vars.XERO_CLIENT_SECRET,
    },
    quickbooks: {
      apiUrl: vars.QBO_API_URL,
      sandboxApiUrl: vars.QBO_SANDBOX_API_URL,
      oauthUrl: vars.QBO_OAUTH_URL,
      authorizeUrl: vars.QBO_AUTHORIZE_URL,
      clientId: vars.QBO_CLIENT_ID,
      clientSecret: vars.QBO_CLIENT_SECRET,
    },
    sage: {
      apiUrl: vars.SAGE_API_URL,
      oauthUrl: vars.SAGE_OAUTH_URL,
      authorizeUrl: vars.SAGE_AUTHORIZE_URL,
      clientId: vars.SAGE_CLIENT_ID,
      clientSecret: vars.SAGE_CLIENT_SECRET,
    },
    smtp: { url: vars.SMTP_URL, host: vars.SMTP_HOST, port: vars.SMTP_PORT, user: vars.SMTP_USER, pass: vars.SMTP_PASS, secure: vars.SMTP_SECURE },
    dunning: {
      from: vars.DUNNING_FROM,
      bounceAddress: vars.DUNNING_BOUNCE_ADDRESS,
      syncFreshnessHours: vars.DUNNING_SYNC_FRESHNESS_HOURS,
      maxDeliveryAttempts: vars.DUNNING_MAX_DELIVERY_ATTEMPTS,
      runHour: vars.DUNNING_RUN_HOUR,
    },
  });
}

/** The one place that reads `process.env`. */
export function loadConfig(overrides: Record<string, string | undefined> = {}): AppConfig {
  return buildConfig(validateEnvironment({ ...process.env, ...overrides }));
}
