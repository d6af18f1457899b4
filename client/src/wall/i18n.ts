// The wall's own i18next instance and locale files (Chinese first, English on request), kept apart
// from the main app's so the kiosk bundle carries only its own strings.
import { createInstance } from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import zh from './locales/zh.json';
import en from './locales/en.json';

export type Language = 'zh' | 'en';
const storageKey = 'ecc.wall.lang';

function storedLanguage(): Language {
  const fromUrl = new URLSearchParams(window.location.search).get('lang');
  if (fromUrl === 'en' || fromUrl === 'zh') return fromUrl;
  try {
    return localStorage.getItem(storageKey) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

const initial = storedLanguage();
document.documentElement.lang = initial === 'zh' ? 'zh-CN' : 'en';

export const wallI18n = createInstance();
void wallI18n.use(initReactI18next).init({
  resources: { zh: { translation: zh }, en: { translation: en } },
  lng: initial,
  fallbackLng: 'zh',
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});

export function setLanguage(language: Language): void {
  try {
    localStorage.setItem(storageKey, language);
  } catch {
    // a locked-down kiosk profile: the choice lasts for this page only
  }
  document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  void wallI18n.changeLanguage(language);
}

export function useLanguage(): Language {
  const { i18n } = useTranslation();
  return i18n.resolvedLanguage === 'en' ? 'en' : 'zh';
}

export const localeOf = (language: Language): string => (language === 'zh' ? 'zh-CN' : 'en-GB');

export function areaName(area: { name: string; nameEn: string | null }, language: Language): string {
  return language === 'en' ? (area.nameEn ?? area.name) : area.name;
}

/** Short map label: "Tangqiao Subdistrict" → "Tangqiao". */
export function shortAreaName(area: { name: string; nameEn: string | null }, language: Language): string {
  const name = areaName(area, language);
  if (language !== 'en') return name;
  return name.replace(/\s+(Subdistrict|Sub-district|Street|Town|Township|District|New Area)$/i, '') || name;
}

export function formatNumber(value: number | null | undefined, language: Language, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(localeOf(language), { maximumFractionDigits: digits }).format(value);
}

/** Big figures as a room reads them: 12.3万 in Chinese, 123,456 in English. */
export function formatCount(value: number | null | undefined, language: Language): string {
  if (value === null || value === undefined) return '—';
  if (language === 'zh' && value >= 100_000) return `${formatNumber(value / 10_000, language, 1)}万`;
  return formatNumber(value, language);
}
