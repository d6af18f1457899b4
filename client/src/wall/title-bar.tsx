import { useTranslation } from 'react-i18next';
import type { ConnectionStatus } from '../features/live/live-store.ts';
import { cityTimeZone, useNow } from '../lib/city-time.ts';
import { localeOf, setLanguage, useLanguage } from './i18n.ts';
import { LanguageSwitch } from '../components/language-switch.tsx';

export function TitleBar({ title, status }: { title: string; status: ConnectionStatus }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const now = useNow(1000);
  const locale = localeOf(language);
  const date = new Intl.DateTimeFormat(locale, { timeZone: cityTimeZone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' }).format(now);
  const time = new Intl.DateTimeFormat(locale, { timeZone: cityTimeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(now);
  return (
    <header className="wall-title">
      <div className="wall-title-left">
        <span className={`status-dot status-${status}`} data-testid="wall-status" data-status={status} title={t(`connection.${status}`)} />
        <span className="status-text">{t(`connection.${status}`)}</span>
      </div>
      <h1>
        {title}
        <span className="wall-subtitle"> · {t('subtitle')}</span>
      </h1>
      <div className="wall-title-right">
        <span className="wall-date">{date}</span>
        <span className="wall-time">{time}</span>
        <LanguageSwitch setLanguage={setLanguage} className="wall-lang" testIdPrefix="wall-lang" />
      </div>
    </header>
  );
}
