// The arrival policy as a rule over facts already read: which regime to suggest for a person.
// A suggestion only: the worker confirms it (or picks another regime) by starting a case.
import type { ArrivalPolicy, PersonRiskAreaMatch, PolicyRegime, RegimeSuggestionRule } from '../contracts/people.ts';

type Kind = PolicyRegime['phases'][number]['kind'];
/** How strict a regime is, by its first phase: a person is never suggested less than a rule calls for. */
const strictness: Record<Kind, number> = { centralised: 3, home_quarantine: 2, home_monitoring: 1 };
const kindZh: Record<Kind, string> = { centralised: '集中隔离', home_quarantine: '居家隔离', home_monitoring: '居家健康监测' };
const kindEn: Record<Kind, string> = { centralised: 'centralised quarantine', home_quarantine: 'home quarantine', home_monitoring: 'home health monitoring' };
const firstKind = (regime: PolicyRegime): Kind => regime.phases[0]!.kind;

export interface SuggestionInput {
  /** risk-area matches of the person's travel, best first (riskAreaMatches) */
  matches: PersonRiskAreaMatch[];
  healthCode: 'green' | 'yellow' | 'red';
  policies: ArrivalPolicy[];
  regimes: PolicyRegime[];
}

export interface Suggestion {
  suggestion: PolicyRegime | null;
  rule: RegimeSuggestionRule;
  message: string;
  match: PersonRiskAreaMatch | null;
}

/**
 * The regime a health code calls for (DOMAIN.md: red code → centralised, yellow → home
 * quarantine): the first active regime starting with that kind, looking first at the regimes the
 * arrival policies name (high, then medium), so configuring them configures this too, then at the
 * rest of the catalogue by code.
 */
export function regimeForHealthCode(code: 'yellow' | 'red', policies: ArrivalPolicy[], regimes: PolicyRegime[]): PolicyRegime | null {
  const wanted: Kind = code === 'red' ? 'centralised' : 'home_quarantine';
  const byLevel = (level: string) => policies.find((p) => p.riskLevel === level)?.regime;
  const ordered = [byLevel('high'), byLevel('medium'), ...[...regimes].sort((a, b) => a.code.localeCompare(b.code))];
  return ordered.find((regime) => regime !== undefined && regime.active && firstKind(regime) === wanted) ?? null;
}

/**
 * Travel that touched a medium/high risk area → the regime the arrival policy names for its level;
 * a red or yellow code → the regime for that code. When both apply, the stricter regime (by its
 * first phase) wins, the risk area on a tie.
 */
export function suggestRegime(input: SuggestionInput): Suggestion {
  const match = input.matches[0] ?? null;
  const policy = match ? input.policies.find((p) => p.riskLevel === match.riskArea.level) : undefined;
  const codeRegime = input.healthCode === 'green' ? null : regimeForHealthCode(input.healthCode, input.policies, input.regimes);

  const fromRisk = match && policy
    ? {
        rule: 'risk_area' as const,
        regime: policy.regime,
        message: `行程第${match.stop.seq}站「${match.stop.place}」（${match.stop.fromDay}至${match.stop.toDay}）涉及${match.riskArea.level === 'high' ? '高' : '中'}风险地区「${match.riskArea.name}」，按入境政策建议 ${policy.regime.nameZh}`
          + ` / travel stop ${match.stop.seq} (${match.stop.place}, ${match.stop.fromDay} to ${match.stop.toDay}) touched the ${match.riskArea.level}-risk area "${match.riskArea.name}": the arrival policy for ${match.riskArea.level} risk suggests ${policy.regime.nameEn}`,
      }
    : null;
  const fromCode = codeRegime && input.healthCode !== 'green'
    ? {
        rule: input.healthCode === 'red' ? ('red_code' as const) : ('yellow_code' as const),
        regime: codeRegime,
        message: `${input.healthCode === 'red' ? '红码' : '黄码'}，建议${kindZh[firstKind(codeRegime)]}：${codeRegime.nameZh}`
          + ` / ${input.healthCode} health code: ${kindEn[firstKind(codeRegime)]}, ${codeRegime.nameEn}`,
      }
    : null;

  const chosen = fromRisk && fromCode
    ? (strictness[firstKind(fromCode.regime)] > strictness[firstKind(fromRisk.regime)] ? fromCode : fromRisk)
    : fromRisk ?? fromCode;
  if (chosen) return { suggestion: chosen.regime, rule: chosen.rule, message: chosen.message, match };
  // Nothing to suggest; say why, including a rule that applied but found no regime configured.
  const colour = input.healthCode === 'red' ? '红码' : '黄码';
  const zh = [
    match ? `${match.riskArea.level === 'high' ? '高' : '中'}风险等级无入境政策` : '抵达前14天行程未涉及中高风险地区',
    input.healthCode === 'green' ? '健康码为绿码' : `目录中无适用于${colour}的有效隔离方案`,
  ];
  const en = [
    match ? `no arrival policy for ${match.riskArea.level} risk` : 'no travel to a medium- or high-risk area in the 14 days before arrival',
    input.healthCode === 'green' ? 'a green health code' : `no active regime in the catalogue fits a ${input.healthCode} code`,
  ];
  return { suggestion: null, rule: 'none', message: `${zh.join('，')}：无建议措施 / ${en.join(' and ')}: no measure suggested`, match };
}
