// Checks of a regime beyond its schema: test days inside their phase, the total within the limit.
import { maxRegimeDays, type RegimePhase } from '../contracts/quarantine.ts';

export interface FieldProblem {
  field: string;
  message: string;
}

/** The problems of a regime's phases (empty when it is usable), and the phases with their test days sorted. */
export function checkRegimePhases(phases: readonly RegimePhase[]): { problems: FieldProblem[]; phases: RegimePhase[]; totalDays: number } {
  const problems: FieldProblem[] = [];
  phases.forEach((phase, i) => {
    const outside = phase.testDays.filter((d) => d > phase.days);
    if (outside.length > 0) {
      problems.push({ field: `phases.${i}.testDays`, message: `test days ${outside.join(', ')} are after the phase's ${phase.days} days / 检测日超出本阶段天数` });
    }
    if (new Set(phase.testDays).size !== phase.testDays.length) {
      problems.push({ field: `phases.${i}.testDays`, message: 'a test day is listed twice / 检测日重复' });
    }
  });
  const totalDays = phases.reduce((sum, p) => sum + p.days, 0);
  if (totalDays > maxRegimeDays) {
    problems.push({ field: 'phases', message: `the phases add up to ${totalDays} days, more than ${maxRegimeDays} / 总天数超过${maxRegimeDays}天` });
  }
  const sorted = phases.map((p) => ({ kind: p.kind, days: p.days, testDays: [...p.testDays].sort((a, b) => a - b) }));
  return { problems, phases: sorted, totalDays };
}
