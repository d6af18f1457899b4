// What the main app and the wall display share about languages: Chinese first, English on request,
// the choice kept in localStorage, and names and numbers written the way each language reads them.
// Each page has its own i18next instance and locale files (so a bundle carries only its strings).
import type { i18n as I18n, Resource } from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';

export type Language = 'zh' | 'en';

export const localeOf = (language: Language): string => (language === 'zh' ? 'zh-CN' : 'en-GB');

function storedLanguage(storageKey: string, readUrl: boolean): Language {
  const fromUrl = readUrl ? new URLSearchParams(window.location.search).get('lang') : null;
  if (fromUrl === 'en' || fromUrl === 'zh') return fromUrl;
  try {
    return localStorage.getItem(storageKey) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

/** Initialises an i18next instance in the stored language; returns the function that switches it. */
export function initLanguage(instance: I18n, resources: Resource, storageKey: string, options: { readUrl?: boolean } = {}) {
  const initial = storedLanguage(storageKey, options.readUrl ?? false);
  document.documentElement.lang = initial === 'zh' ? 'zh-CN' : 'en';
  void instance.use(initReactI18next).init({
    resources,
    lng: initial,
    fallbackLng: 'zh',
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
  return function setLanguage(language: Language): void {
    try {
      localStorage.setItem(storageKey, language);
    } catch {
      // private mode or a locked-down kiosk profile: the choice lasts for this page only
    }
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
    void instance.changeLanguage(language);
  };
}

export function useLanguage(): Language {
  const { i18n } = useTranslation();
  return i18n.resolvedLanguage === 'en' ? 'en' : 'zh';
}

/** An area's name in the UI language: `name` in Chinese, `nameEn` (falling back to `name`) in English. */
export function areaName(area: { name: string; nameEn: string | null }, language: Language): string {
  return language === 'en' ? (area.nameEn ?? area.name) : area.name;
}

export function formatNumber(value: number | null | undefined, language: Language, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(localeOf(language), { maximumFractionDigits: digits }).format(value);
}
