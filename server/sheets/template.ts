// The .xlsx template officials fill in, built from a sheet specification: Chinese headers with the
// English in each header's note, column widths, a frozen header row, validation on every enum,
// boolean, number and time column, and an instructions sheet in Chinese and English.
import ExcelJS from 'exceljs';
import type { SheetColumn, SheetSpec } from './sheet-spec.ts';

const listValidation = (values: readonly string[], column: SheetColumn, error: string): ExcelJS.DataValidation => ({
  type: 'list',
  allowBlank: column.required !== true && column.required !== 'column',
  formulae: [`"${values.join(',')}"`],
  showErrorMessage: true,
  errorTitle: column.zh,
  error,
});

const range = (min: number | undefined, max: number | undefined) =>
  min !== undefined && max !== undefined ? { operator: 'between' as const, formulae: [min, max], zh: `在 ${min} 到 ${max} 之间`, en: `between ${min} and ${max}` }
  : min !== undefined ? { operator: 'greaterThanOrEqual' as const, formulae: [min], zh: `不小于 ${min}`, en: `at least ${min}` }
  : max !== undefined ? { operator: 'lessThanOrEqual' as const, formulae: [max], zh: `不大于 ${max}`, en: `at most ${max}` }
  : { operator: 'between' as const, formulae: [-1e15, 1e15], zh: '为数字', en: 'a number' };

/** The cell validation of a column, or none for free text. */
function validationOf(column: SheetColumn): ExcelJS.DataValidation | undefined {
  const kind = column.kind;
  switch (kind.type) {
    case 'enum': {
      const words = kind.options.map((o) => o.zh);
      return listValidation(words, column, `请选择 ${words.join('、')} / choose one of ${words.join(', ')}`);
    }
    case 'boolean':
      return listValidation(['是', '否'], column, '请选择 是 或 否 / choose 是 (yes) or 否 (no)');
    case 'number': {
      const r = range(kind.min, kind.max);
      return {
        type: kind.integer ? 'whole' : 'decimal',
        operator: r.operator,
        allowBlank: column.required !== true,
        formulae: r.formulae,
        showErrorMessage: true,
        errorTitle: column.zh,
        error: `${column.zh}应${kind.integer ? '为整数，且' : ''}${r.zh} / ${column.en} must be ${kind.integer ? 'a whole number, ' : ''}${r.en}`,
      };
    }
    case 'instant':
    case 'day':
      return {
        type: 'date',
        operator: 'greaterThan',
        allowBlank: column.required !== true,
        formulae: [new Date('2020-01-01')],
        showErrorMessage: true,
        errorTitle: column.zh,
        error: kind.type === 'instant' ? '请输入时间，如 2026-11-22 09:30 / enter a time like 2026-11-22 09:30' : '请输入日期，如 2026-11-22 / enter a date like 2026-11-22',
      };
    case 'text':
      return undefined;
  }
}

const requiredText = (column: SheetColumn) => (column.required === true || column.required === 'column' ? '必填 Required' : '');

export async function sheetTemplate<K extends string>(spec: SheetSpec<K>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '疫情防控指挥中心 Epidemic control command centre';
  const sheet = workbook.addWorksheet(spec.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = spec.columns.map((c) => ({ header: c.zh, key: c.key, width: c.width }));
  const header = sheet.getRow(1);
  header.font = { bold: true, color: { argb: 'FFFFFFFF' } };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E79' } };
  spec.columns.forEach((c, i) => {
    header.getCell(i + 1).note = `${c.en}: ${c.note}`;
  });

  // One validation per column range (exceljs supports it; its type declarations only know per-cell
  // validations, which would mean tens of thousands of entries in the file).
  const ranges = sheet as unknown as { dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void } };
  for (const column of spec.columns) {
    const letter = sheet.getColumn(column.key).letter;
    const validation = validationOf(column);
    if (validation) ranges.dataValidations.add(`${letter}2:${letter}${spec.maxRows + 1}`, validation);
    if (column.kind.type === 'instant') sheet.getColumn(column.key).numFmt = 'yyyy-mm-dd hh:mm';
    if (column.kind.type === 'day') sheet.getColumn(column.key).numFmt = 'yyyy-mm-dd';
    // Codes such as grid codes stay text: Excel would otherwise show 3.10115E+13.
    if (column.kind.type === 'text') sheet.getColumn(column.key).numFmt = '@';
  }

  const help = workbook.addWorksheet('填写说明 Instructions');
  help.columns = [
    { header: '列 Column', width: 16 },
    { header: 'English', width: 20 },
    { header: '必填 Required', width: 14 },
    { header: '示例 Example', width: 22 },
    { header: '说明 Notes', width: 90 },
  ];
  help.getRow(1).font = { bold: true };
  help.views = [{ state: 'frozen', ySplit: 1 }];
  for (const c of spec.columns) help.addRow([c.zh, c.en, requiredText(c), c.example ?? '', c.note]);
  help.addRow([]);
  for (const line of spec.instructions) help.addRow(['', '', '', '', line]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
