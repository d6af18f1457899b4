import { useTranslation } from 'react-i18next';
import { setLanguage, useLanguage, type Language } from './i18n.ts';

const languages: readonly Language[] = ['zh', 'en'];

export function LanguageSwitch() {
  const { t } = useTranslation();
  const current = useLanguage();
  return (
    <div className="wall-lang" role="group" aria-label={t('lang.label')}>
      {languages.map((language) => (
        <button key={language} type="button" aria-pressed={current === language} data-testid={`wall-lang-${language}`} onClick={() => setLanguage(language)}>
          {t(`lang.${language}`)}
        </button>
      ))}
    </div>
  );
}
