// Reads and validates the environment once; everything else takes its settings from here.

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  demoPassword: string;
  sessionTtlHours: number;
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
    basemapStyleUrl: env.BASEMAP_STYLE_URL || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    secureCookies: env.SECURE_COOKIES === 'true',
    cityTimeZone: validTimeZone(env.CITY_TIME_ZONE || 'Asia/Shanghai'),
    redisUrl: env.REDIS_URL || undefined,
    redisChannel: env.REDIS_CHANNEL || 'ecc-live',
    sweepIntervalSeconds: intFromEnv(env, 'SWEEP_INTERVAL_SECONDS', 60, 0, 3600),
  };
}
