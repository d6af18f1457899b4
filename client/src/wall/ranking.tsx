import { formatNumber, useLanguage } from './i18n.ts';

export interface RankingRow {
  code: string;
  name: string;
  value: number;
  colour: string;
}

/** The focused area's sub-areas by the map's metric, largest first. */
export function Ranking({ title, rows }: { title: string; rows: readonly RankingRow[] }) {
  const language = useLanguage();
  const max = rows.reduce((m, r) => Math.max(m, r.value), 0);
  return (
    <section className="panel ranking" data-testid="ranking">
      <h2>{title}</h2>
      <ol>
        {rows.map((row, i) => (
          <li key={row.code}>
            <span className="rank">{i + 1}</span>
            <span className="rank-name">{row.name}</span>
            <span className="rank-bar">
              <span style={{ width: `${max > 0 ? (row.value / max) * 100 : 0}%`, background: row.colour }} />
            </span>
            <span className="rank-value">{formatNumber(row.value, language)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
