import { Type, type Static } from 'typebox';
import { AreaCode, PointGeometry } from './common.ts';

/** Key-site categories (重点场所) from DOMAIN.md. Order is the legend's order. */
export const siteCategories = [
  'construction_site', // 建筑工地
  'live_poultry_market', // 活禽市场
  'slaughterhouse', // 屠宰场
  'cold_storage', // 冷库 / 进口冷链
  'farmers_market', // 农贸市场
  'supermarket', // 超市
  'school', // 学校
  'kindergarten', // 幼儿园
  'elderly_home', // 养老机构
  'hotel', // 宾馆酒店
  'quarantine_hotel', // 集中隔离酒店
  'fever_clinic', // 发热门诊医院
  'transport_hub', // 交通枢纽
  'government_office', // 机关单位
  'entertainment_venue', // 娱乐场所 (KTV, 网吧)
] as const;
export type SiteCategory = (typeof siteCategories)[number];
export const SiteCategory = Type.Enum(siteCategories);

const TimeOfDay = Type.String({ pattern: '^([01][0-9]|2[0-4]):[0-5][0-9]$' });
const DayHours = Type.Optional(Type.Array(Type.Tuple([TimeOfDay, TimeOfDay])));
export const OpeningHours = Type.Object(
  { mon: DayHours, tue: DayHours, wed: DayHours, thu: DayHours, fri: DayHours, sat: DayHours, sun: DayHours },
  { description: 'Weekly opening hours, local time (Asia/Shanghai): {"mon": [["08:00","18:00"]], ...}; a missing or empty day is closed' },
);
export type OpeningHours = Static<typeof OpeningHours>;

export const SiteProperties = Type.Object({
  id: Type.Integer(),
  category: SiteCategory,
  name: Type.String(),
  address: Type.String(),
  gridCode: Type.Union([Type.String(), Type.Null()]),
  openingHours: OpeningHours,
  responsibleUnit: Type.String(),
  responsiblePerson: Type.String(),
  synthetic: Type.Boolean(),
});
export type SiteProperties = Static<typeof SiteProperties>;

export const SiteFeature = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.Integer(),
  geometry: PointGeometry,
  properties: SiteProperties,
});
export type SiteFeature = Static<typeof SiteFeature>;

export const SitesQuery = Type.Object({
  bbox: Type.Optional(
    Type.String({
      pattern: '^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$',
      description: 'minLon,minLat,maxLon,maxLat (WGS-84)',
    }),
  ),
  area: Type.Optional(AreaCode),
  category: Type.Optional(
    Type.String({ pattern: '^[a-z_]+(,[a-z_]+)*$', description: 'one category or several, comma-separated' }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 500 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});
export type SitesQuery = Static<typeof SitesQuery>;

export const SiteCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  total: Type.Integer({ description: 'matching sites in the caller\'s jurisdiction, before limit/offset' }),
  limit: Type.Integer(),
  offset: Type.Integer(),
  features: Type.Array(SiteFeature),
});
export type SiteCollection = Static<typeof SiteCollection>;

export const SiteCategoryCount = Type.Object({ category: SiteCategory, count: Type.Integer() });
export const SiteCategoryCounts = Type.Object({ area: Type.String(), counts: Type.Array(SiteCategoryCount) });
export type SiteCategoryCounts = Static<typeof SiteCategoryCounts>;
