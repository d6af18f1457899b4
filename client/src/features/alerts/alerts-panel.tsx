import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Alert } from '../../../../server/contracts/index.ts';
import { cityTimeZone } from '../../lib/city-time.ts';
import { formatNumber, useLanguage } from '../../lib/i18n.ts';
import { activeAlertsQuery, useAlertAction } from './api.ts';
import { useEscapeToClose } from '../../lib/use-escape.ts';

const timeFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: cityTimeZone, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

/** What the alert is about, in a few words: figures and places, never a person. */
function useDetails() {
  const { t } = useTranslation();
  const language = useLanguage();
  return (alert: Alert): string => {
    const d = alert.details;
    const parts: string[] = [];
    if (d.temperature !== undefined) parts.push(`${formatNumber(d.temperature, language, 1)} °C`);
    if (d.siteName) parts.push(d.siteName);
    if (d.slot) parts.push(t(`live.slot.${d.slot}`));
    if (d.plannedEnd) parts.push(t('alerts.plannedEnd', { day: d.plannedEnd }));
    if (d.dueAt) {
      const time = timeFormat.format(new Date(d.dueAt));
      parts.push(alert.kind === 'missed_check' ? t('alerts.checkDueAt', { time }) : t('alerts.dueAt', { time }));
    }
    // A street's late-report alert names its units (places, not people).
    if (d.units && d.unitCount !== undefined) {
      const names = d.units.slice(0, 5).map((u) => u.name).join('、') + (d.unitCount > 5 ? '…' : '');
      parts.push(t('reports.alertUnits', { count: d.unitCount, names }));
    }
    return parts.join(' · ');
  };
}

interface AlertsPanelProps {
  area: { code: string; name: string };
  canHandle: boolean;
  onClose: () => void;
}

/** The area's active alerts, to acknowledge (确认) and close (关闭) with a note; who and when are kept. */
export function AlertsPanel({ area, canHandle, onClose }: AlertsPanelProps) {
  const { t } = useTranslation();
  const list = useQuery(activeAlertsQuery(area.code));
  const action = useAlertAction();
  const details = useDetails();
  const [notes, setNotes] = useState<Record<number, string>>({});
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  useEscapeToClose(onClose);

  const act = (alert: Alert, kind: 'acknowledge' | 'close') => {
    const note = notes[alert.id]?.trim();
    action.mutate({ id: alert.id, action: kind, ...(note ? { note } : {}) });
  };

  return (
    <section className="figure-list alerts-panel" role="dialog" aria-modal="false" aria-labelledby="alerts-title" data-testid="alerts-panel">
      <header className="figure-list-header">
        <div>
          <h2 id="alerts-title">{t('alerts.title')}</h2>
          <div className="muted">
            {area.name}
            {list.data ? ` · ${t('alerts.active', { count: list.data.total })}` : ''}
          </div>
        </div>
        <button ref={closeRef} type="button" className="button" onClick={onClose}>
          {t('live.close')}
        </button>
      </header>
      {list.isError ? (
        <p className="muted empty">{t('errors.load')}</p>
      ) : !list.data ? (
        <p className="muted empty">{t('area.loading')}</p>
      ) : list.data.items.length === 0 ? (
        <p className="muted empty" data-testid="alerts-empty">{t('alerts.none')}</p>
      ) : (
        <ul className="alert-items">
          {list.data.items.map((alert) => (
            <li key={alert.id} className={`alert-item alert-${alert.status}`} data-testid={`alert-${alert.id}`}>
              <div className="alert-head">
                <span className={`alert-kind kind-${alert.kind}`}>{t(`alerts.kind.${alert.kind}`)}</span>
                <span className="muted">{timeFormat.format(new Date(alert.raisedAt))}</span>
                <span className="alert-status">{t(`live.alertStatus.${alert.status}`)}</span>
              </div>
              <div className="alert-place">{alert.areaName}</div>
              <div className="alert-details">{details(alert)}</div>
              {alert.acknowledgedBy ? (
                <div className="muted alert-trail">
                  {t('alerts.acknowledgedBy', { who: alert.acknowledgedBy, time: alert.acknowledgedAt ? timeFormat.format(new Date(alert.acknowledgedAt)) : '' })}
                  {alert.note ? ` · ${alert.note}` : ''}
                </div>
              ) : null}
              {canHandle ? (
                <div className="alert-actions">
                  <input
                    type="text"
                    maxLength={1000}
                    placeholder={t('alerts.notePlaceholder')}
                    aria-label={t('alerts.notePlaceholder')}
                    value={notes[alert.id] ?? ''}
                    onChange={(e) => setNotes({ ...notes, [alert.id]: e.target.value })}
                  />
                  {alert.status === 'open' ? (
                    <button type="button" className="button" disabled={action.isPending} onClick={() => act(alert, 'acknowledge')} data-testid={`alert-ack-${alert.id}`}>
                      {t('alerts.acknowledge')}
                    </button>
                  ) : null}
                  <button type="button" className="button" disabled={action.isPending} onClick={() => act(alert, 'close')} data-testid={`alert-close-${alert.id}`}>
                    {t('alerts.close')}
                  </button>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
