// The visit form, made for a phone at a site gate (one column at 390 px): arrival and departure,
// the round's checklist (pass / fail / not applicable), findings, photos, and — when a check
// failed — the rectification notice with its deadline. The form's clientId makes a retry after a
// dropped connection answer the visit already stored instead of recording it twice.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components/dialog.tsx';
import type { CheckResult, Round, Team, VisitInput } from '../../../../server/contracts/index.ts';
import { maxPhotoBytes, maxPhotosPerVisit } from '../../../../server/contracts/index.ts';
import { HttpError } from '../../lib/http.ts';
import { useLanguage } from '../../lib/i18n.ts';
import { cityDay } from '../../lib/city-time.ts';
import { useRecordVisit } from './api.ts';
import { addDays } from './days.ts';
import { cityInstant, clock } from './time.ts';

export interface VisitTarget {
  siteId: number;
  siteName: string;
  seq: number | null;
  plannedArrival: string | null;
  plannedDeparture: string | null;
}

interface Photo {
  name: string;
  contentType: 'image/jpeg' | 'image/png' | 'image/webp';
  dataBase64: string;
  url: string;
}

const photoTypes = ['image/jpeg', 'image/png', 'image/webp'] as const;
const results: readonly CheckResult[] = ['pass', 'fail', 'na'];

/** A v4 UUID also where crypto.randomUUID is missing (plain http on a LAN address is no secure context). */
export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

/** HH:MM no later than now when the day is today (a visit cannot be in the future). */
function defaultTime(day: string, planned: string | null, fallback: string): string {
  const wanted = planned ? clock(planned) : fallback;
  const now = new Date();
  if (day !== cityDay(now)) return wanted;
  const current = clock(now.toISOString());
  return wanted > current ? current : wanted;
}

export function VisitForm({ round, team, day, target, onClose, onSaved }: {
  round: Round;
  team: Team;
  day: string;
  target: VisitTarget;
  onClose: () => void;
  onSaved: (visitId: number) => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const record = useRecordVisit();
  const [clientId] = useState(newClientId);
  const [arrived, setArrived] = useState(() => defaultTime(day, target.plannedArrival, '09:00'));
  const [departed, setDeparted] = useState(() => defaultTime(day, target.plannedDeparture, '10:00'));
  const [answers, setAnswers] = useState<Record<string, CheckResult | undefined>>({});
  const [findings, setFindings] = useState('');
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [photoError, setPhotoError] = useState<string | null>(null);
  const [noticeNumber, setNoticeNumber] = useState(() => `ZG-${day.replaceAll('-', '')}-${team.code}-${target.siteId}`);
  const [deadline, setDeadline] = useState(() => addDays(day, 7));
  const [formError, setFormError] = useState<string | null>(null);

  const failed = Object.values(answers).includes('fail');
  const unanswered = round.checklist.filter((item) => !answers[item.key]);

  // Object URLs of the previews: freed when a photo is removed and when the form closes.
  const photosRef = useRef(photos);
  photosRef.current = photos;
  useEffect(() => () => photosRef.current.forEach((p) => URL.revokeObjectURL(p.url)), []);
  const removePhoto = (index: number) =>
    setPhotos((current) => {
      const gone = current[index];
      if (gone) URL.revokeObjectURL(gone.url);
      return current.filter((_, j) => j !== index);
    });


  const onFiles = async (files: FileList | null) => {
    setPhotoError(null);
    if (!files) return;
    const added: Photo[] = [];
    for (const file of [...files]) {
      if (!(photoTypes as readonly string[]).includes(file.type)) {
        setPhotoError(t('inspection.visit.photoType', { name: file.name }));
        continue;
      }
      if (file.size > maxPhotoBytes) {
        setPhotoError(t('inspection.visit.photoSize', { name: file.name, mb: maxPhotoBytes / 1024 / 1024 }));
        continue;
      }
      added.push({ name: file.name, contentType: file.type as Photo['contentType'], dataBase64: await readBase64(file), url: URL.createObjectURL(file) });
    }
    setPhotos((current) => {
      const next = [...current, ...added];
      if (next.length > maxPhotosPerVisit) setPhotoError(t('inspection.visit.photoCount', { max: maxPhotosPerVisit }));
      return next.slice(0, maxPhotosPerVisit);
    });
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    if (unanswered.length > 0) return setFormError(t('inspection.visit.unanswered', { items: unanswered.map((i) => (language === 'en' ? i.label_en : i.label_zh)).join('、') }));
    if (departed < arrived) return setFormError(t('inspection.visit.departBeforeArrive'));
    if (failed && (!noticeNumber.trim() || !deadline)) return setFormError(t('inspection.visit.noticeNeeded'));
    const body: VisitInput = {
      clientId,
      roundId: round.id,
      teamId: team.id,
      siteId: target.siteId,
      arrivedAt: cityInstant(day, arrived),
      departedAt: cityInstant(day, departed),
      results: Object.fromEntries(round.checklist.map((item) => [item.key, answers[item.key] as CheckResult])),
      findings: findings.trim(),
      photos: photos.map(({ contentType, dataBase64 }) => ({ contentType, dataBase64 })),
      notice: failed ? { number: noticeNumber.trim(), deadline } : null,
    };
    record.mutate(body, { onSuccess: (visit) => onSaved(visit.id) });
  };

  const serverError = record.error;
  const fieldErrors = serverError instanceof HttpError && Array.isArray(serverError.details)
    ? (serverError.details as Array<{ field?: string; message?: string }>)
    : [];

  return (
    <Dialog
      title={t('inspection.visit.title')}
      subtitle={`${target.seq !== null ? `${target.seq}. ` : ''}${target.siteName} · ${team.name} · ${day}`}
      onClose={onClose}
      testId="visit-form"
    >
      <form onSubmit={onSubmit} noValidate>
        <div className="visit-times">
          <label className="field">
            {t('inspection.visit.arrived')}
            <input type="time" required value={arrived} onChange={(e) => setArrived(e.target.value)} name="arrived" />
          </label>
          <label className="field">
            {t('inspection.visit.departed')}
            <input type="time" required value={departed} onChange={(e) => setDeparted(e.target.value)} name="departed" />
          </label>
        </div>

        <fieldset className="checklist">
          <legend>
            {t('inspection.visit.checklist')}
            <button
              type="button"
              className="link-button"
              onClick={() => setAnswers(Object.fromEntries(round.checklist.map((item) => [item.key, 'pass' as const])))}
              data-testid="all-pass"
            >
              {t('inspection.visit.allPass')}
            </button>
          </legend>
          {round.checklist.map((item) => (
            <div key={item.key} className="check-item" role="radiogroup" aria-label={language === 'en' ? item.label_en : item.label_zh}>
              <span className="check-label">{language === 'en' ? item.label_en : item.label_zh}</span>
              <span className="check-choices">
                {results.map((result) => (
                  <label key={result} className={`check-choice check-${result}`}>
                    <input
                      type="radio"
                      name={`check-${item.key}`}
                      value={result}
                      checked={answers[item.key] === result}
                      onChange={() => setAnswers((a) => ({ ...a, [item.key]: result }))}
                      data-testid={`check-${item.key}-${result}`}
                    />
                    <span>{t(`inspection.result.${result}`)}</span>
                  </label>
                ))}
              </span>
            </div>
          ))}
        </fieldset>

        <label className="field">
          {t('inspection.visit.findings')}
          <textarea rows={3} maxLength={4000} value={findings} onChange={(e) => setFindings(e.target.value)} name="findings" placeholder={t('inspection.visit.findingsHint')} />
        </label>

        <div className="field">
          <span>{t('inspection.visit.photos', { max: maxPhotosPerVisit })}</span>
          <input
            type="file"
            accept={photoTypes.join(',')}
            capture="environment"
            multiple
            disabled={photos.length >= maxPhotosPerVisit}
            onChange={(e) => {
              void onFiles(e.target.files);
              e.target.value = '';
            }}
            data-testid="photo-input"
          />
          {photoError ? <span className="form-error" role="alert">{photoError}</span> : null}
          {photos.length > 0 ? (
            <ul className="photo-list">
              {photos.map((photo, i) => (
                <li key={photo.url}>
                  <img src={photo.url} alt={photo.name} />
                  <button type="button" className="link-button" onClick={() => removePhoto(i)}>
                    {t('inspection.visit.removePhoto')}
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>

        {failed ? (
          <fieldset className="notice-fields" data-testid="notice-fields">
            <legend>{t('inspection.visit.notice')}</legend>
            <label className="field">
              {t('inspection.visit.noticeNumber')}
              <input value={noticeNumber} maxLength={50} required onChange={(e) => setNoticeNumber(e.target.value)} name="noticeNumber" />
            </label>
            <label className="field">
              {t('inspection.visit.deadline')}
              <input type="date" min={day} required value={deadline} onChange={(e) => setDeadline(e.target.value)} name="deadline" />
            </label>
          </fieldset>
        ) : null}

        {formError ? <p className="form-error" role="alert">{formError}</p> : null}
        {serverError ? (
          <div className="form-error" role="alert" data-testid="visit-error">
            {serverError.message}
            {fieldErrors.length > 0 ? (
              <ul>
                {fieldErrors.map((f, i) => (
                  <li key={i}>{f.field ? `${f.field}: ` : ''}{f.message}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}

        <footer className="visit-footer">
          <button type="submit" className="button button-primary" disabled={record.isPending} data-testid="visit-save">
            {record.isPending ? t('inspection.visit.saving') : t('inspection.visit.save')}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
