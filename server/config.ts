// Reads and validates the environment once; everything else takes its settings from here.

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  demoPassword: string;
  sessionTtlHours: number;
  /** A session unused for this long ends (an open page's periodic refetches keep it alive). */
  sessionIdleMinutes: number;
  /** Consecutive failed sign-ins that lock an account (known or not) for loginLockMinutes. */
  loginMaxFailures: number;
  loginLockMinutes: number;
  /** Failed sign-ins from one client address within loginLockMinutes before it is refused for as long. */
  loginIpMaxFailures: number;
  /** Origins allowed to call the API from another site (CORS, and past the cross-site check); none by default. */
  corsOrigins: string[];
  /** Fastify's trustProxy: the client address comes from X-Forwarded-For of these proxies (see docs/security.md). */
  trustProxy: boolean | string;
  /** Optional online basemap style URL (e.g. a Tianditu or self-hosted style); off by default. */
  basemapStyleUrl: string | undefined;
  logLevel: string;
  secureCookies: boolean;
  /** The city's time zone: days, deadlines and daily counts follow it, not the server's. */
  cityTimeZone: string;
  /** When set, socket.io shares rooms across server processes through Redis. */
  redisUrl: string | undefined;
  /** Prefix of the Redis channels, so deployments (or test runs) sharing one Redis stay apart. */
  redisChannel: string;
  /** How often the sweeper looks for missed temperature checks, overdue releases and late results; 0 turns it off. */
  sweepIntervalSeconds: number;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function originsFromEnv(raw: string | undefined): string[] {
  if (!raw) return [];
  return raw.split(',').map((item) => item.trim()).filter(Boolean).map((item) => {
    let origin: string;
    try {
      origin = new URL(item).origin;
    } catch {
      origin = 'null';
    }
    if (origin === 'null' || origin !== item.replace(/\/$/, '')) throw new Error(`CORS_ORIGINS: "${item}" is not an origin like https://ecc.example.gov.cn`);
    return origin;
  });
}

/** false, true, or the proxies' addresses/CIDRs separated by commas (Fastify's trustProxy). */
function trustProxyFromEnv(raw: string | undefined): boolean | string {
  if (!raw || raw === 'false') return false;
  return raw === 'true' ? true : raw;
}

function validTimeZone(zone: string): string {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: zone });
    return zone;
  } catch {
    throw new Error(`CITY_TIME_ZONE "${zone}" is not a known IANA time zone (e.g. Asia/Shanghai)`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: intFromEnv(env, 'PORT', 8080, 0, 65535),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    demoPassword: env.DEMO_PASSWORD || 'demo-password',
    sessionTtlHours: intFromEnv(env, 'SESSION_TTL_HOURS', 12, 1, 24 * 30),
    sessionIdleMinutes: intFromEnv(env, 'SESSION_IDLE_MINUTES', 30, 2, 24 * 60),
    loginMaxFailures: intFromEnv(env, 'LOGIN_MAX_FAILURES', 5, 1, 100),
    loginLockMinutes: intFromEnv(env, 'LOGIN_LOCK_MINUTES', 15, 1, 24 * 60),
    loginIpMaxFailures: intFromEnv(env, 'LOGIN_IP_MAX_FAILURES', 30, 1, 100_000),
    corsOrigins: originsFromEnv(env.CORS_ORIGINS),
    trustProxy: trustProxyFromEnv(env.TRUST_PROXY),
    basemapStyleUrl: env.BASEMAP_STYLE_URL || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    secureCookies: env.SECURE_COOKIES === 'true',
    cityTimeZone: validTimeZone(env.CITY_TIME_ZONE || 'Asia/Shanghai'),
    redisUrl: env.REDIS_URL || undefined,
    redisChannel: env.REDIS_CHANNEL || 'ecc-live',
    sweepIntervalSeconds: intFromEnv(env, 'SWEEP_INTERVAL_SECONDS', 60, 0, 3600),
  };
}
