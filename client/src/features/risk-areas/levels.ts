import type { RiskLevel } from '../../../../server/contracts/index.ts';

export const riskLevels: readonly RiskLevel[] = ['high', 'medium', 'low'];

/** The national colour convention: low yellow, medium orange, high red. */
export const riskColors: Record<RiskLevel, string> = {
  low: '#f5d547',
  medium: '#ff9326',
  high: '#ff3b30',
};
