// The admin page's dialogs: a confirmation (the common dialog with two buttons), a secret shown once,
// and the text of a failed request.
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components/dialog.tsx';

export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  title: string;
  message: string;
  confirmLabel: string;
  pending: boolean;
  error: string | null;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog className="admin-dialog" title={title} onClose={onClose} testId="admin-confirm">
      <p>{message}</p>
      {error ? <p className="form-error" role="alert">{error}</p> : null}
      <div className="visit-footer admin-actions">
        <button type="button" className="button" onClick={onClose}>{t('admin.cancel')}</button>
        <button type="button" className="button button-primary button-danger" onClick={onConfirm} disabled={pending} data-testid="admin-confirm-ok">
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

/** A secret shown this once (a generated password, a wall token and its address), with copy buttons. */
export function SecretNotice({ items, note }: { items: Array<{ label: string; value: string; testId: string }>; note: string }) {
  const { t } = useTranslation();
  return (
    <div className="admin-secret" role="status">
      <p className="admin-secret-note">{note}</p>
      {items.map((item) => (
        <div key={item.testId} className="admin-secret-row">
          <span className="muted">{item.label}</span>
          <code data-testid={item.testId}>{item.value}</code>
          <button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(item.value)}>
            {t('admin.copy')}
          </button>
        </div>
      ))}
    </div>
  );
}

/** The server's message for a failed request (its messages are bilingual already). */
export const errorText = (error: unknown): string | null => (error ? (error instanceof Error ? error.message : String(error)) : null);
