// A site's priority for a day of a round, and why: each factor gives points with a reason in
// Chinese and English, and the score is their sum. Pure, so the planner can use it too.
import type { PriorityReason } from '../contracts/inspection.ts';

export interface NearbyRiskArea {
  name: string;
  level: 'low' | 'medium' | 'high';
  inside: boolean;
  distanceM: number;
}

/** What the database knows about a site on the day (see sitePriorityFacts). */
export interface PriorityFacts {
  category: string;
  /** inspection_category_defaults.weight of the category */
  categoryWeight: number;
  /** active risk areas on the day that contain the site or lie within nearRiskMetres of it */
  riskAreas: NearbyRiskArea[];
  /** days from the latest visit (any round) before the day; null when never inspected */
  daysSinceInspection: number | null;
  /** the latest visit failed a check and no rectification was reported or it failed */
  openNotice: { number: string; deadline: string; overdue: boolean; rectificationFailed: boolean } | null;
  /** a 回头看 due in the day's month or earlier (then overdue) */
  followupDue: { dueMonth: string; overdue: boolean } | null;
}

export const nearRiskMetres = 1000;

/** Points per factor; documented in docs/inspection.md. */
export const priorityWeights = {
  riskInside: { high: 40, medium: 25, low: 10 },
  riskNear: { high: 20, medium: 12, low: 5 },
  neverInspected: 20,
  /** one point per this many days since the last inspection, up to neverInspected */
  daysPerPoint: 3,
  openNotice: 15,
  openNoticeOverdue: 25,
  followupDue: 30,
  followupOverdue: 40,
} as const;

const levelZh = { high: '高风险区', medium: '中风险区', low: '低风险区' } as const;
const levelEn = { high: 'high-risk area', medium: 'medium-risk area', low: 'low-risk area' } as const;

function riskReason(areas: NearbyRiskArea[]): PriorityReason | undefined {
  let best: { area: NearbyRiskArea; points: number } | undefined;
  for (const area of areas) {
    const points = (area.inside ? priorityWeights.riskInside : priorityWeights.riskNear)[area.level];
    if (!best || points > best.points) best = { area, points };
  }
  if (!best) return undefined;
  const { area, points } = best;
  const metres = Math.round(area.distanceM);
  return area.inside
    ? { factor: 'risk_area', points, reason_zh: `位于${levelZh[area.level]}「${area.name}」内`, reason_en: `inside the ${levelEn[area.level]} "${area.name}"` }
    : {
        factor: 'risk_area',
        points,
        reason_zh: `距${levelZh[area.level]}「${area.name}」${metres} 米`,
        reason_en: `${metres} m from the ${levelEn[area.level]} "${area.name}"`,
      };
}

export function explainPriority(facts: PriorityFacts): { score: number; reasons: PriorityReason[] } {
  const w = priorityWeights;
  const reasons: PriorityReason[] = [
    {
      factor: 'category',
      points: facts.categoryWeight,
      reason_zh: `场所类别权重 ${facts.categoryWeight}`,
      reason_en: `category ${facts.category} weighs ${facts.categoryWeight}`,
    },
  ];
  const risk = riskReason(facts.riskAreas);
  if (risk) reasons.push(risk);

  const days = facts.daysSinceInspection;
  reasons.push(
    days === null
      ? { factor: 'days_since_inspection', points: w.neverInspected, reason_zh: '从未督查', reason_en: 'never inspected' }
      : {
          factor: 'days_since_inspection',
          points: Math.min(w.neverInspected, Math.floor(days / w.daysPerPoint)),
          reason_zh: days === 1 ? '昨天已督查' : `距上次督查 ${days} 天`,
          reason_en: days === 1 ? 'inspected yesterday' : `${days} days since the last inspection`,
        },
  );

  if (facts.openNotice) {
    const { number, deadline, overdue, rectificationFailed } = facts.openNotice;
    reasons.push(
      rectificationFailed
        ? { factor: 'open_findings', points: w.openNoticeOverdue, reason_zh: `整改通知 ${number} 整改不力`, reason_en: `rectification of notice ${number} failed` }
        : overdue
        ? { factor: 'open_findings', points: w.openNoticeOverdue, reason_zh: `整改通知 ${number} 已逾期（期限 ${deadline}）`, reason_en: `notice ${number} overdue (deadline ${deadline})` }
        : { factor: 'open_findings', points: w.openNotice, reason_zh: `整改通知 ${number} 未闭环（期限 ${deadline}）`, reason_en: `notice ${number} open (deadline ${deadline})` },
    );
  }
  if (facts.followupDue) {
    const { dueMonth, overdue } = facts.followupDue;
    reasons.push(
      overdue
        ? { factor: 'followup_due', points: w.followupOverdue, reason_zh: `回头看逾期（应于 ${dueMonth} 完成）`, reason_en: `follow-up check overdue (due in ${dueMonth})` }
        : { factor: 'followup_due', points: w.followupDue, reason_zh: `本月回头看（${dueMonth}）`, reason_en: `follow-up check due this month (${dueMonth})` },
    );
  }
  return { score: reasons.reduce((sum, r) => sum + r.points, 0), reasons };
}
