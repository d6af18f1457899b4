// Cross-site request forgery: unsafe requests a browser sends on behalf of another site are refused,
// the way Go 1.25's net/http CrossOriginProtection decides (reasons in docs/security.md).
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Why an unsafe request is cross-site, or undefined when it may proceed: Sec-Fetch-Site (every current
 * browser sends it) must say same-origin or none (typed by the user); without it, an Origin must
 * name this host. Requests with neither header come from no browser and carry no ambient authority
 * worth forging. Origins in trustedOrigins (CORS_ORIGINS) pass.
 */
function crossSiteReason(request: Pick<FastifyRequest, 'method' | 'headers'>, trustedOrigins: ReadonlySet<string>): string | undefined {
  if (safeMethods.has(request.method)) return undefined;
  const origin = request.headers.origin;
  const trusted = origin !== undefined && trustedOrigins.has(origin);
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) {
    return site === 'same-origin' || site === 'none' || trusted ? undefined : `Sec-Fetch-Site: ${site}`;
  }
  if (origin === undefined) return undefined;
  return sameHost(origin, request.headers.host) || trusted ? undefined : `Origin ${origin} is not ${request.headers.host ?? 'this host'}`;
}

/** Origin and Host name the same host and port (a default port written or not). */
function sameHost(origin: string, host: string | undefined): boolean {
  try {
    const from = new URL(origin);
    return host !== undefined && from.host === new URL(`${from.protocol}//${host}`).host;
  } catch {
    return false; // 'null' (sandboxed frames, file: pages) or garbage
  }
}

export function assertSameOrigin(request: FastifyRequest, trustedOrigins: ReadonlySet<string>): void {
  const reason = crossSiteReason(request, trustedOrigins);
  if (reason) {
    throw new AppError(403, 'csrf', `Cross-site request refused (${reason}) / 拒绝跨站请求，请在本系统页面内操作`);
  }
}
