// The wall's own i18next instance and locale files, kept apart from the main app's so the kiosk
// bundle carries only its own strings. `?lang=en` in the URL sets the language of a kiosk.
import { createInstance } from 'i18next';
import zh from './locales/zh.json';
import en from './locales/en.json';
import { areaName, formatNumber, initLanguage, type Language } from '../lib/language.ts';
import { metricLabels } from '../features/live/metric-labels.ts';

export { areaName, formatNumber, localeOf, useLanguage, type Language } from '../lib/language.ts';

export const wallI18n = createInstance();
export const setLanguage = initLanguage(
  wallI18n,
  { zh: { translation: { ...zh, ...metricLabels.zh } }, en: { translation: { ...en, ...metricLabels.en } } },
  'ecc.wall.lang',
  { readUrl: true },
);

/** Short map label: "Tangqiao Subdistrict" → "Tangqiao". */
export function shortAreaName(area: { name: string; nameEn: string | null }, language: Language): string {
  const name = areaName(area, language);
  if (language !== 'en') return name;
  return name.replace(/\s+(Subdistrict|Sub-district|Street|Town|Township|District|New Area)$/i, '') || name;
}

/** Big figures as a room reads them: 12.3万 in Chinese, 123,456 in English. */
export function formatCount(value: number | null | undefined, language: Language): string {
  if (value === null || value === undefined) return '—';
  if (language === 'zh' && value >= 100_000) return `${formatNumber(value / 10_000, language, 1)}万`;
  return formatNumber(value, language);
}
