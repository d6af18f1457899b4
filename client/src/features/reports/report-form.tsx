// A unit's report for the day: the prefilled figures to confirm or correct, an explicit zero report
// (零报告), and the Excel template to fill offline and upload. The versions are in report-history.tsx.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { reportFigureKeys, type ReportFigureKey, type ReportFigures } from '../../../../server/contracts/index.ts';
import { prefillQuery, problemsOf, reportQuery, templateUrl, useSubmitReport, useUploadReport } from './api.ts';

type Draft = Record<ReportFigureKey, string>;
const draftOf = (figures: ReportFigures): Draft => Object.fromEntries(reportFigureKeys.map((k) => [k, String(figures[k])])) as Draft;
const timeOf = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

export function ReportForm({ unitCode, unitName, day }: { unitCode: string; unitName: string; day: string }) {
  const { t } = useTranslation();
  const report = useQuery(reportQuery(unitCode, day));
  const prefill = useQuery(prefillQuery(unitCode, day));
  const submit = useSubmitReport(unitCode, day);
  const upload = useUploadReport(unitCode, day);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [notes, setNotes] = useState('');
  const fileRef = useRef<HTMLInputElement>(null);
  // One id per attempt: pressing again after a network failure retries the same submission.
  const attempt = useRef<string | null>(null);

  // Start from the stored report, else from what the system knows.
  const source = report.data ? report.data.figures : prefill.data?.figures;
  useEffect(() => {
    if (source && draft === null) {
      setDraft(draftOf(source));
      setNotes(source.notes ?? '');
    }
  }, [source, draft]);
  useEffect(() => {
    setDraft(null);
    attempt.current = null;
  }, [unitCode, day]);

  const invalid = draft ? reportFigureKeys.filter((k) => !/^\d{1,7}$/.test(draft[k]) || Number(draft[k]) > 1_000_000) : [];
  const send = (zero: boolean) => {
    if (!draft || (!zero && invalid.length > 0)) return;
    attempt.current ??= crypto.randomUUID();
    const figures = Object.fromEntries(reportFigureKeys.map((k) => [k, Number(draft[k])])) as unknown as ReportFigures;
    if (notes.trim()) figures.notes = notes.trim();
    submit.mutate(
      { submissionId: attempt.current, submission: zero ? { zero: true, notes: notes.trim() || undefined } : { zero: false, figures } },
      {
        onSuccess: (saved) => {
          attempt.current = null;
          setDraft(draftOf(saved.figures));
        },
      },
    );
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send(false);
  };

  const stored = report.data;
  const problems = [...problemsOf(submit.error), ...problemsOf(upload.error)];
  const error = submit.error ?? upload.error;
  return (
    <section className="report-form" aria-labelledby="report-form-title" data-testid="report-form" data-unit={unitCode}>
      <h3 id="report-form-title">{t('reports.form.title', { name: unitName })}</h3>
      <p className="muted" data-testid="report-state" data-version={stored?.version ?? 0}>
        {stored
          ? t('reports.form.stored', { version: stored.version, time: timeOf(stored.updatedAt), status: t(`reports.status.${stored.status}`) })
          : t('reports.form.notYet')}
        {stored?.zero ? ` · ${t('reports.zeroReport')}` : ''}
      </p>
      {!draft ? (
        <p className="muted empty">{report.isError || prefill.isError ? t('errors.load') : t('area.loading')}</p>
      ) : (
        <form onSubmit={onSubmit}>
          {!stored ? <p className="hint">{t('reports.form.prefilled')}</p> : null}
          <div className="report-figures">
            {reportFigureKeys.map((key) => (
              <label key={key} className="control">
                <span>{t(`reports.figure.${key}`)}</span>
                <input
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={1_000_000}
                  step={1}
                  value={draft[key]}
                  aria-invalid={invalid.includes(key)}
                  onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
                  data-testid={`figure-${key}`}
                />
              </label>
            ))}
          </div>
          <label className="control">
            <span>{t('reports.figure.notes')}</span>
            <textarea value={notes} maxLength={1000} rows={2} onChange={(e) => setNotes(e.target.value)} data-testid="figure-notes" />
          </label>
          <div className="report-actions">
            <button type="submit" className="button button-primary" disabled={submit.isPending || invalid.length > 0} data-testid="report-submit">
              {stored ? t('reports.form.correct') : t('reports.form.confirm')}
            </button>
            <button type="button" className="button" onClick={() => send(true)} disabled={submit.isPending} data-testid="report-zero">
              {t('reports.form.zero')}
            </button>
          </div>
          {invalid.length > 0 ? <p className="error-text" role="alert">{t('reports.form.invalid')}</p> : null}
        </form>
      )}
      {error ? (
        <div className="error-text" role="alert" data-testid="report-error">
          {error.message}
          {problems.length > 0 ? <ul>{problems.map((p) => <li key={p}>{p}</li>)}</ul> : null}
        </div>
      ) : null}
      {submit.data?.duplicate ? <p className="muted">{t('reports.form.duplicate')}</p> : null}

      <div className="report-excel">
        <a className="button" href={templateUrl(unitCode, day)} download data-testid="report-template">{t('reports.form.template')}</a>
        <label className="button">
          {upload.isPending ? t('reports.form.uploading') : t('reports.form.upload')}
          <input
            ref={fileRef}
            type="file"
            className="visually-hidden"
            accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) upload.mutate(file, { onSuccess: (saved) => setDraft(draftOf(saved.figures)) });
              if (fileRef.current) fileRef.current.value = '';
            }}
            data-testid="report-upload"
          />
        </label>
      </div>

    </section>
  );
}
