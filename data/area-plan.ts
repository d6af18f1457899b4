// The non-spatial half of the demo hierarchy: which streets, communities and grids exist, their
// names, synthetic populations and the order in which they take generated cells. Geometry is made
// in PostGIS (area-generator.ts).
import { apportion, randomFor } from './demo-random.ts';
import type { Divisions } from './extract-shanghai.ts';

export type ChildLevel = 'street' | 'community' | 'grid';

export interface PlannedArea {
  code: string;
  parent: string;
  level: ChildLevel;
  name: string;
  nameEn: string;
  population: number;
  /** 1-based rank among siblings: rank 1 takes the cell nearest the attractor (the most urban) */
  rank: number;
}

export interface AreaPlan {
  streets: PlannedArea[];
  communities: PlannedArea[];
  grids: PlannedArea[];
}

// Placeholder units of the statistics codes (development zones, farms, virtual communities) hold few people.
const isPlaceholder = (name: string): boolean => /虚拟|农场|林场|园区|开发区|工业区|度假区|旅游区|加工区|试验区/.test(name);
const isUrbanStreet = (name: string): boolean => name.endsWith('街道');
const isUrbanCommunity = (name: string): boolean => name.endsWith('居委会') && !name.endsWith('村委会');

/** Urban units first (subdistricts before towns, residents' committees before villages), then by code. */
function rankChildren<T extends { code: string; name: string }>(children: T[], urban: (name: string) => boolean): Array<T & { rank: number }> {
  return [...children]
    .sort((a, b) => Number(urban(b.name)) - Number(urban(a.name)) || a.code.localeCompare(b.code))
    .map((child, index) => ({ ...child, rank: index + 1 }));
}

function groupBy<T extends { parent: string }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(item.parent);
    if (group) group.push(item);
    else groups.set(item.parent, [item]);
  }
  return groups;
}

export const gridsPerCommunity = { min: 3, max: 8, peoplePerGrid: 700 } as const;

export function planAreas(divisions: Divisions, seed: number): AreaPlan {
  const streetsByDistrict = groupBy(divisions.streets);
  const communitiesByStreet = groupBy(divisions.communities);
  const streets: PlannedArea[] = [];
  const communities: PlannedArea[] = [];
  const grids: PlannedArea[] = [];

  for (const district of divisions.districts) {
    const children = rankChildren(streetsByDistrict.get(district.code) ?? [], isUrbanStreet);
    const weights = children.map((street) => {
      const random = randomFor(`population:${street.code}`, seed);
      const size = (communitiesByStreet.get(street.code) ?? []).length;
      return size * (0.7 + 0.6 * random.next()) * (isPlaceholder(street.name) ? 0.2 : 1);
    });
    const shares = apportion(district.population, weights);
    children.forEach((street, index) => {
      streets.push({ code: street.code, parent: district.code, level: 'street', name: street.name, nameEn: street.nameEn, population: shares[index] ?? 0, rank: street.rank });
    });
  }

  for (const street of streets) {
    const children = rankChildren(communitiesByStreet.get(street.code) ?? [], isUrbanCommunity);
    const weights = children.map((community) => {
      const random = randomFor(`population:${community.code}`, seed);
      const base = isPlaceholder(community.name) ? 0.05 : isUrbanCommunity(community.name) ? 1 : 0.6;
      return base * (0.6 + 0.8 * random.next());
    });
    const shares = apportion(street.population, weights);
    children.forEach((community, index) => {
      communities.push({ code: community.code, parent: street.code, level: 'community', name: community.name, nameEn: community.nameEn, population: shares[index] ?? 0, rank: community.rank });
    });
  }

  for (const community of communities) {
    const { min, max, peoplePerGrid } = gridsPerCommunity;
    const count = Math.min(max, Math.max(min, Math.round(community.population / peoplePerGrid)));
    const random = randomFor(`grids:${community.code}`, seed);
    const shares = apportion(community.population, Array.from({ length: count }, () => 0.7 + 0.6 * random.next()));
    // 梅园一村居委会 → 梅园一村居委第1网格, 红卫村村委会 → 红卫村第1网格, 景园社区居委会 → 景园社区第1网格
    const stem = community.name.replace(/(社区居委会|村村委会|村委会|居委会)$/, (suffix) =>
      suffix === '社区居委会' ? '社区' : suffix === '居委会' ? '居委' : '村');
    const stemEn = community.nameEn.replace(/ (Residents' Committee)$/, '');
    for (let n = 1; n <= count; n += 1) {
      const number = String(n).padStart(2, '0');
      grids.push({
        code: `${community.code}${number}`,
        parent: community.code,
        level: 'grid',
        name: `${stem}第${n}网格`,
        nameEn: `${stemEn} Grid ${n}`,
        population: shares[n - 1] ?? 0,
        rank: n,
      });
    }
  }
  return { streets, communities, grids };
}
