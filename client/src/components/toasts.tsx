import { useTranslation } from 'react-i18next';
import { dismissToast, useToasts } from '../lib/toasts.ts';

export function Toasts() {
  const { t } = useTranslation();
  const toasts = useToasts();
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.kind}`}>
          <div className="toast-text">
            <strong>{t(toast.titleKey)}</strong>
            <span>{toast.detail}</span>
          </div>
          <button type="button" className="icon-button" aria-label={t('errors.dismiss')} onClick={() => dismissToast(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
