// The main app's i18next instance and strings.
import i18next from 'i18next';
import zh from '../locales/zh.json';
import en from '../locales/en.json';
import { formatNumber, initLanguage, type Language } from './language.ts';
import { metricLabels } from '../features/live/metric-labels.ts';

export { areaName, formatNumber, localeOf, useLanguage, type Language } from './language.ts';

export const setLanguage = initLanguage(
  i18next,
  { zh: { translation: { ...zh, ...metricLabels.zh } }, en: { translation: { ...en, ...metricLabels.en } } },
  'ecc.lang',
);

export default i18next;

/** A head count as officials read it: 568.2万 in Chinese, 5,681,512 in English. */
export function formatPeople(value: number | null | undefined, language: Language): string {
  if (value === null || value === undefined) return '—';
  if (language === 'zh' && value >= 10_000) return `${formatNumber(value / 10_000, language, 1)}万`;
  return formatNumber(value, language);
}
