import { siteCategories, type SiteCategory } from '../../../../server/contracts/index.ts';

export { siteCategories };
export type { SiteCategory };

/**
 * One colour per category, chosen to stay apart on a dark map. Food-chain and animal sites are warm
 * (the early outbreaks' places), care and schools cool, medical magenta, logistics violet.
 */
export const categoryColors: Record<SiteCategory, string> = {
  construction_site: '#f6c945',
  live_poultry_market: '#ff7a45',
  slaughterhouse: '#d9534f',
  cold_storage: '#5bc0eb',
  farmers_market: '#9bde7e',
  supermarket: '#4cc38a',
  school: '#6a8dff',
  kindergarten: '#a78bfa',
  elderly_home: '#f49ac1',
  hotel: '#c7a27c',
  quarantine_hotel: '#ff4fa3',
  fever_clinic: '#ff3b6b',
  transport_hub: '#22d3ee',
  government_office: '#cbd5e1',
  entertainment_venue: '#e879f9',
};
