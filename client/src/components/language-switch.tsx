import { useTranslation } from 'react-i18next';
import { useLanguage, type Language } from '../lib/language.ts';

const languages: readonly Language[] = ['zh', 'en'];

/** 中文 / EN buttons; each page passes the switch of its own i18next instance. */
export function LanguageSwitch(props: { setLanguage: (language: Language) => void; className?: string; testIdPrefix?: string }) {
  const { t } = useTranslation();
  const current = useLanguage();
  const prefix = props.testIdPrefix ?? 'lang';
  return (
    <div className={props.className ?? 'segmented'} role="group" aria-label={t('lang.label')}>
      {languages.map((language) => (
        <button
          key={language}
          type="button"
          lang={language === 'zh' ? 'zh-CN' : 'en'}
          aria-pressed={current === language}
          data-testid={`${prefix}-${language}`}
          onClick={() => props.setLanguage(language)}
        >
          {t(`lang.${language}`)}
        </button>
      ))}
    </div>
  );
}
