import type { AreaLevel, AreaRef, SessionUser } from '../../../../server/contracts/index.ts';

export const levelOrder: readonly AreaLevel[] = ['city', 'district', 'street', 'community', 'grid'];
export const levelIndex = (level: AreaLevel): number => levelOrder.indexOf(level);

/**
 * May the user open this area? The server decides (403 otherwise); the client only avoids offering
 * what would fail: areas at or below the jurisdiction, whose codes extend the jurisdiction's code.
 */
export function withinJurisdiction(area: { code: string; level: AreaLevel }, user: SessionUser): boolean {
  const scope = user.jurisdiction;
  if (scope.level === 'city') return true;
  return levelIndex(area.level) >= levelIndex(scope.level) && area.code.startsWith(scope.code);
}

export type { AreaRef };
