// Which of a round's sites go to the planner. A city round has thousands of sites in scope and the
// week has ~100 visits: the optimiser gets the sites that can matter, not all of them.
import type { PlannerSite } from './planner.ts';

export interface CandidateLimits {
  /** Visits a team can make in the horizon (max sites a day × days). */
  visitsPerTeam: number;
  /** Sites kept per district and set of eligible teams at least (default 20). */
  minPerGroup?: number;
  /** Candidates per possible visit (default 3): room for the search to trade priority for travel. */
  perVisit?: number;
}

/**
 * Keeps every site in `keep` (locked, moved, due 回头看) and, per district and set of teams that may
 * inspect it, the most valuable sites (priority, then id): max(minPerGroup, perVisit × visits those
 * teams can make). A site below that cut can only replace one of equal or higher priority.
 */
export function selectCandidates(sites: readonly PlannerSite[], keep: ReadonlySet<string>, limits: CandidateLimits): PlannerSite[] {
  const groups = new Map<string, PlannerSite[]>();
  for (const site of sites) {
    const key = `${site.district}|${[...(site.teams ?? [])].sort().join(',')}`;
    const group = groups.get(key);
    if (group) group.push(site);
    else groups.set(key, [site]);
  }
  const chosen = new Set<string>(keep);
  for (const group of groups.values()) {
    const teams = group[0]?.teams?.length ?? 1;
    const limit = Math.max(limits.minPerGroup ?? 20, (limits.perVisit ?? 3) * limits.visitsPerTeam * teams);
    const ranked = [...group].sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const site of ranked.slice(0, limit)) chosen.add(site.id);
  }
  return sites.filter((site) => chosen.has(site.id));
}
