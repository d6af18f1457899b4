import { useEffect, useRef, useState, type ReactNode } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { http } from '../../lib/http.ts';
import { formatNumber, useLanguage } from '../../lib/i18n.ts';
import { cityTimeZone } from '../../lib/city-time.ts';
import type { Metric } from './figures.ts';
import { figureSources, releasesDueUrl, type FigureRows, type ReleasesDue } from './figure-sources.ts';
import { useEscapeToClose } from '../../lib/use-escape.ts';

const pageSize = 50;
const timeFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: cityTimeZone, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
const time = (iso: string | null | undefined) => (iso ? timeFormat.format(new Date(iso)) : '—');

interface Table {
  columns: string[];
  rows: Array<{ key: string; cells: ReactNode[]; alarming?: boolean }>;
  total: number;
  /** some personal data is masked for the user's role */
  masked?: boolean;
}

/** The rows of any list as one table: the columns officials need for each kind of record. */
function useTable(rows: FigureRows | undefined): Table | undefined {
  const { t } = useTranslation();
  const language = useLanguage();
  if (!rows) return undefined;
  const n = (value: number) => formatNumber(value, language);
  switch (rows.kind) {
    case 'screenings':
      return {
        columns: ['time', 'place', 'site', 'temperature', 'codeColour', 'outcome'],
        total: rows.body.total,
        rows: rows.body.items.map((r) => ({
          key: r.id,
          alarming: r.codeColour === 'red' || (r.temperature ?? 0) >= 37.3,
          cells: [time(r.at), r.areaName, r.siteName ?? '—', r.temperature === null ? '—' : `${r.temperature.toFixed(1)} °C`,
            <span className={`code-chip code-${r.codeColour}`}>{t(`live.code.${r.codeColour}`)}</span>, t(`live.outcome.${r.outcome}`)],
        })),
      };
    case 'tests':
      return {
        columns: ['sampledAt', 'place', 'person', 'riskGroup', 'dueAt', 'result'],
        total: rows.body.total,
        masked: rows.body.items.some((r) => r.person?.masked),
        rows: rows.body.items.map((r) => ({
          key: r.id,
          alarming: r.result?.result === 'positive' || r.status === 'late',
          cells: [time(r.sampledAt), r.siteName ? `${r.areaName} · ${r.siteName}` : r.areaName, r.person?.name ?? '—',
            r.riskGroup ? t('live.yes') : '', time(r.dueAt),
            r.result ? `${t(`live.result.${r.result.result}`)} · ${n(r.result.turnaroundHours)} h` : t(`live.testStatus.${r.status}`)],
        })),
      };
    case 'cases':
      return {
        columns: ['person', 'idNumber', 'phone', 'regime', 'kind', 'dayNumber', 'plannedEnd', 'place'],
        total: rows.body.total,
        masked: rows.body.items.some((c) => c.person.masked),
        rows: rows.body.items.map((c) => ({
          key: c.id,
          alarming: c.overdue,
          cells: [c.person.name, <span className="mono">{c.person.idNumber}</span>, c.person.phone ?? '—', c.regimeName,
            t(`live.kind.${c.kind}`), c.dayNumber === null ? '—' : t('live.dayN', { n: c.dayNumber }), c.plannedEnd,
            c.kind === 'centralised' && c.placeSite ? c.placeSite.name : c.areaName],
        })),
      };
    case 'alerts':
      return {
        columns: ['time', 'place', 'slot', 'status'],
        total: rows.body.total,
        rows: rows.body.items.map((a) => ({
          key: String(a.id),
          alarming: a.status === 'open',
          cells: [time(a.raisedAt), a.areaName, a.details.slot ? t(`live.slot.${a.details.slot}`) : '—', t(`live.alertStatus.${a.status}`)],
        })),
      };
    case 'people':
      return {
        columns: ['person', 'idNumber', 'phone', 'category', 'origin', 'arrivedOn', 'riskLevel', 'place'],
        total: rows.body.total,
        masked: rows.body.items.some((p) => p.masked),
        rows: rows.body.items.map((p) => ({
          key: p.id,
          alarming: p.riskAreaLevel === 'high',
          cells: [p.name, <span className="mono">{p.idNumber}</span>, p.phone ?? '—', t(`live.category.${p.category}`), p.origin ?? '—',
            p.arrivedOn ?? '—', p.riskAreaLevel ? t(`live.risk.${p.riskAreaLevel}`) : '—', p.gridName],
        })),
      };
  }
}

interface FigureListProps {
  metric: Metric;
  area: { code: string; name: string };
  day: string;
  onClose: () => void;
}

/** The records or people behind one figure, in a panel over the map (Esc closes it). */
export function FigureList({ metric, area, day, onClose }: FigureListProps) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [offset, setOffset] = useState(0);
  const closeRef = useRef<HTMLButtonElement>(null);
  const source = figureSources[metric];
  useEffect(() => setOffset(0), [metric, area.code, day]);
  useEffect(() => closeRef.current?.focus(), []);
  useEscapeToClose(onClose);

  const list = useQuery({
    queryKey: ['figure-list', metric, area.code, day, offset],
    queryFn: async ({ signal }): Promise<FigureRows | undefined> => {
      if (!source) return undefined;
      return { kind: source.kind, body: await http.get(source.url(area.code, day, pageSize, offset), signal) } as FigureRows;
    },
    placeholderData: keepPreviousData,
    enabled: source !== undefined,
  });
  const perGrid = useQuery({
    queryKey: ['releases-due', area.code, day],
    queryFn: ({ signal }) => http.get<ReleasesDue>(releasesDueUrl(area.code, day), signal),
    enabled: metric === 'releasesDue' || metric === 'overdueReleases',
  });
  const table = useTable(list.data);

  return (
    <section className="figure-list" role="dialog" aria-modal="false" aria-labelledby="figure-list-title" data-testid="figure-list">
      <header className="figure-list-header">
        <div>
          <h2 id="figure-list-title">{t(`metrics.${metric}`)}</h2>
          <div className="muted">
            {area.name} · {day}
            {table ? ` · ${t('live.count', { count: table.total, value: formatNumber(table.total, language) })}` : ''}
          </div>
        </div>
        <button ref={closeRef} type="button" className="button" onClick={onClose} data-testid="figure-list-close">
          {t('live.close')}
        </button>
      </header>
      {perGrid.data && perGrid.data.grids.length > 0 ? (
        <div className="per-grid" data-testid="releases-per-grid">
          <h3>{t('live.perGrid')}</h3>
          <ul>
            {perGrid.data.grids.slice(0, 30).map((g) => (
              <li key={g.grid}>
                <span>{g.communityName} · {g.name}</span>
                <span className="mono">{t('live.dueOverdue', { due: g.due, overdue: g.overdue })}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {table?.masked ? <p className="masked-note">{t('live.maskedNote')}</p> : null}
      {!source ? (
        <p className="muted empty">{t('live.noList')}</p>
      ) : list.isError ? (
        <p className="muted empty">{t('errors.load')}</p>
      ) : !table ? (
        <p className="muted empty">{t('area.loading')}</p>
      ) : table.rows.length === 0 ? (
        <p className="muted empty" data-testid="figure-list-empty">{t('live.empty')}</p>
      ) : (
        <div className="figure-table-wrap">
          <table className="figure-table" aria-busy={list.isFetching}>
            <thead>
              <tr>
                {table.columns.map((column) => (
                  <th key={column} scope="col">{t(`live.column.${column}`)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row) => (
                <tr key={row.key} className={row.alarming ? 'is-alarming' : undefined}>
                  {row.cells.map((cell, i) => (
                    <td key={i}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {table && table.total > pageSize ? (
        <footer className="figure-list-pager">
          <button type="button" className="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - pageSize))}>
            {t('live.previous')}
          </button>
          <span className="muted">
            {formatNumber(offset + 1, language)}–{formatNumber(Math.min(offset + pageSize, table.total), language)} / {formatNumber(table.total, language)}
          </span>
          <button type="button" className="button" disabled={offset + pageSize >= table.total} onClick={() => setOffset(offset + pageSize)}>
            {t('live.next')}
          </button>
        </footer>
      ) : null}
    </section>
  );
}
