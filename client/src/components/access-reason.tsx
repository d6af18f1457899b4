// 事由 Why: every export and every read of unmasked personal data is written to the audit log, and the
// server keeps the reason the client gives (`?reason=` on a download link, since a link cannot set
// headers; the X-Access-Reason header, percent-encoded UTF-8, on a fetch). AuditedDownload is the one
// way the client offers such a file: a button that opens a small dialog where the user may say why
// (optional: "why if asked") before the download starts. Keyboard: Enter in the field downloads, Esc or
// Cancel closes, Tab stays inside, focus goes back to the button.
import { useId, useRef, useState, type FormEvent } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { Dialog } from './dialog.tsx';
import { maxAccessReasonLength } from '../../../server/contracts/audit.ts';
import './access-reason.css';

/** The address with `reason` set (trimmed), keeping its other parameters; unchanged when blank. */
export function withReason(href: string, reason: string): string {
  const text = reason.trim();
  if (text === '') return href;
  const at = href.indexOf('?');
  const params = new URLSearchParams(at < 0 ? '' : href.slice(at + 1));
  params.set('reason', text);
  return `${at < 0 ? href : href.slice(0, at)}?${params.toString()}`;
}

export interface AuditedDownloadProps {
  /** the file's address, with its filters */
  href: string;
  /** the button's text, also the dialog's title */
  label: string;
  /** the button's test id; the dialog's parts are `${testId}-dialog`, `-reason`, `-download` */
  testId: string;
  primary?: boolean;
  /** the file may carry personal data in clear: the dialog says so */
  personal?: boolean;
}

export function AuditedDownload({ href, label, testId, primary = false, personal = false }: AuditedDownloadProps) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  return (
    <>
      <button type="button" className={primary ? 'button button-primary' : 'button'} aria-haspopup="dialog" onClick={() => setOpen(true)} data-testid={testId}>
        {label}
      </button>
      {open
        ? createPortal(
          <ReasonDialog href={href} label={label} testId={testId} personal={personal} reason={reason} setReason={setReason} onClose={() => setOpen(false)} />,
          document.body,
        )
        : null}
    </>
  );
}

function ReasonDialog({ href, label, testId, personal, reason, setReason, onClose }: {
  href: string;
  label: string;
  testId: string;
  personal: boolean;
  reason: string;
  setReason: (reason: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const noteId = useId();
  const link = useRef<HTMLAnchorElement>(null);
  // The link's own click starts the download; the dialog closes right after, not before it.
  const closeSoon = () => window.setTimeout(onClose, 0);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    link.current?.click();
  };

  return (
    <Dialog title={label} onClose={onClose} testId={`${testId}-dialog`} className="access-reason-dialog" describedBy={noteId}>
      <form onSubmit={submit}>
        <p id={noteId} className="hint">
          {t('accessReason.audited')}
          {personal ? ` ${t('accessReason.personal')}` : ''}
        </p>
        <label className="field">
          {t('accessReason.label')}
          <input
            type="text"
            value={reason}
            maxLength={maxAccessReasonLength}
            placeholder={t('accessReason.placeholder')}
            onChange={(event) => setReason(event.target.value)}
            data-testid={`${testId}-reason`}
          />
        </label>
        <div className="access-reason-actions">
          <button type="button" className="button" onClick={onClose}>{t('accessReason.cancel')}</button>
          <a ref={link} className="button button-primary" href={withReason(href, reason)} download onClick={closeSoon} data-testid={`${testId}-download`}>
            {t('accessReason.download')}
          </a>
        </div>
      </form>
    </Dialog>
  );
}
