// The one check of a report's content, for the JSON API and uploaded sheets alike.
import { Compile } from 'typebox/compile';
import { ReportFigures, reportFigureKeys } from '../contracts/reports.ts';

const figuresCheck = Compile(ReportFigures);

/** Every figure 0 (a zero report), with its note if any. */
export const zeroFigures = (notes?: string): ReportFigures => ({
  ...(Object.fromEntries(reportFigureKeys.map((k) => [k, 0])) as Omit<ReportFigures, 'notes'>),
  ...(notes ? { notes } : {}),
});

/** What a submission says, checked: a zero report or a full set of figures; otherwise every problem, by field. */
export function checkSubmission(body: { zero?: boolean; figures?: unknown; notes?: string }): { zero: boolean; figures: ReportFigures } | { errors: Array<{ field: string; message: string }> } {
  if (body.zero === true) {
    const given = body.figures as Record<string, unknown> | undefined;
    const nonZero = given === undefined ? [] : reportFigureKeys.filter((k) => given[k] !== undefined && given[k] !== 0);
    if (nonZero.length > 0) {
      return { errors: nonZero.map((k) => ({ field: `figures.${k}`, message: '零报告各项应为 0，或不填 figures / a zero report carries no figures (or all 0)' })) };
    }
    return { zero: true, figures: zeroFigures(body.notes) };
  }
  if (body.figures === undefined) return { errors: [{ field: 'figures', message: '请填写各项数字，或提交零报告 (zero: true) / give the figures, or send a zero report' }] };
  if (!figuresCheck.Check(body.figures)) {
    const errors = figuresCheck.Errors(body.figures).map((e) => {
      const missing = (e.params as { requiredProperties?: string[] } | undefined)?.requiredProperties?.[0];
      const path = `${e.instancePath}${missing ? `/${missing}` : ''}`;
      return { field: `figures${path.replaceAll('/', '.')}`, message: `${e.message} / 数值无效` };
    });
    return { errors: errors.filter((e, i) => errors.findIndex((x) => x.field === e.field) === i) };
  }
  return { zero: false, figures: body.figures };
}

