// i18next: Chinese first, English on request; the choice persists in localStorage.
import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import zh from '../locales/zh.json';
import en from '../locales/en.json';

export type Language = 'zh' | 'en';
const storageKey = 'ecc.lang';

function storedLanguage(): Language {
  try {
    return localStorage.getItem(storageKey) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

const initial = storedLanguage();
document.documentElement.lang = initial === 'zh' ? 'zh-CN' : 'en';

void i18next.use(initReactI18next).init({
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
    // private mode: the choice lasts for this page only
  }
  document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  void i18next.changeLanguage(language);
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
  return new Intl.NumberFormat(language === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: digits }).format(value);
}

export default i18next;

/** A head count as officials read it: 568.2万 in Chinese, 5,681,512 in English. */
export function formatPeople(value: number | null | undefined, language: Language): string {
  if (value === null || value === undefined) return '—';
  if (language === 'zh' && value >= 10_000) return `${formatNumber(value / 10_000, language, 1)}万`;
  return formatNumber(value, language);
}
