import { useTranslation } from 'react-i18next';
import type { Alert } from '../../../server/contracts/index.ts';
import { cityTimeZone } from '../lib/city-time.ts';
import { formatNumber, localeOf, useLanguage } from './i18n.ts';

/** Newest first; the list it gets is already capped (live-store maxAlerts). Places, never people. */
export function AlertsTicker({ alerts }: { alerts: readonly Alert[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const time = new Intl.DateTimeFormat(localeOf(language), { timeZone: cityTimeZone, hour: '2-digit', minute: '2-digit', hour12: false });
  return (
    <section className="panel alerts" data-testid="alerts">
      <h2>
        {t('alerts.title')}
        {alerts.length > 0 ? <span className="alerts-count">{alerts.length}</span> : null}
      </h2>
      {alerts.length === 0 ? (
        <p className="alerts-empty">{t('alerts.none')}</p>
      ) : (
        <ol className="alerts-list">
          {alerts.map((alert) => (
            <li key={alert.id} className={`alert alert-${alert.kind}`}>
              <span className="alert-time">{time.format(new Date(alert.raisedAt))}</span>
              <span className="alert-kind">{t(`alerts.kinds.${alert.kind}`)}</span>
              <span className="alert-place">
                {alert.details.siteName ? `${alert.details.siteName} · ` : ''}
                {alert.areaName}
              </span>
              {alert.details.temperature !== undefined ? <span className="alert-temp">{formatNumber(alert.details.temperature, language, 1)} °C</span> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
