// "Why this site today": the priority score and the factors it is made of (server/inspection/priority.ts).
import { useTranslation } from 'react-i18next';
import type { PrioritySite } from '../../../../server/contracts/index.ts';
import { useLanguage } from '../../lib/i18n.ts';

export function PriorityWhy({ site }: { site: PrioritySite | undefined }) {
  const { t } = useTranslation();
  const language = useLanguage();
  if (!site) return <span className="muted">{t('inspection.priority.unknown')}</span>;
  return (
    <details className="priority-why" data-testid={`why-${site.siteId}`}>
      <summary>
        <span className="score-chip" title={t('inspection.priority.score')}>{site.score}</span>
        {t('inspection.priority.why')}
      </summary>
      <ul>
        {site.reasons.map((reason) => (
          <li key={reason.factor}>
            <span className="reason-points mono">+{reason.points}</span>
            <span>
              <strong>{t(`inspection.factor.${reason.factor}`)}</strong> · {language === 'en' ? reason.reason_en : reason.reason_zh}
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}
