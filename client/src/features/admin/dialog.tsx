// A modal dialog for the admin page: focus moves in when it opens and back to what opened it when it
// closes, Tab stays inside, Esc closes. A confirmation is the same dialog with two buttons.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { keepFocusInside } from '../../lib/focus-trap.ts';
import { useEscapeToClose } from '../../lib/use-escape.ts';

export function Dialog({ title, onClose, children, testId }: { title: string; onClose: () => void; children: ReactNode; testId: string }) {
  const { t } = useTranslation();
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    ref.current?.querySelector<HTMLElement>('[autofocus], input:not([disabled]), select, button.button-primary')?.focus();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  useEscapeToClose(onClose);


  return (
    <div className="visit-backdrop" role="presentation">
      <div ref={ref} className="visit-dialog admin-dialog" role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} onKeyDown={(event) => keepFocusInside(event, ref.current)} data-testid={testId}>
        <header className="visit-header">
          <h2 id={`${id}-title`}>{title}</h2>
          <button type="button" className="icon-button" onClick={onClose} aria-label={t('admin.close')}>×</button>
        </header>
        {children}
      </div>
    </div>
  );
}

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
    <Dialog title={title} onClose={onClose} testId="admin-confirm">
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
