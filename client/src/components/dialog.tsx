// A modal dialog: focus moves in when it opens (to the first field, or the primary button) and back to
// what opened it when it closes, Tab stays inside, Esc or × closes.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { keepFocusInside } from '../lib/focus-trap.ts';
import { useEscapeToClose } from '../lib/use-escape.ts';

export function Dialog({ title, subtitle, onClose, children, testId, className, describedBy }: {
  title: string;
  /** a line under the title (what the dialog is about) */
  subtitle?: ReactNode;
  onClose: () => void;
  children: ReactNode;
  testId: string;
  /** the dialog's own class, next to visit-dialog */
  className?: string;
  /** the id of the element that says what the dialog is for */
  describedBy?: string;
}) {
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
      <div
        ref={ref}
        className={`visit-dialog ${className ?? ''}`.trim()}
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={describedBy}
        onKeyDown={(event) => keepFocusInside(event, ref.current)}
        data-testid={testId}
      >
        <header className="visit-header">
          <div>
            <h2 id={`${id}-title`}>{title}</h2>
            {subtitle ? <div className="muted">{subtitle}</div> : null}
          </div>
          <button type="button" className="icon-button" onClick={onClose} aria-label={t('dialog.close')}>×</button>
        </header>
        {children}
      </div>
    </div>
  );
}
