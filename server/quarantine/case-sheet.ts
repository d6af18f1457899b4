// People under quarantine or monitoring as an Excel list (隔离管控人员名单), as a street or district
// prints it: masked, with a notice on top saying so, when the user may not export personal data.
import ExcelJS from 'exceljs';
import type { CaseRow } from './quarantine.repository.ts';

const kindZh: Record<string, string> = { centralised: '集中隔离', home_quarantine: '居家隔离', home_monitoring: '居家健康监测' };
const statusZh: Record<string, string> = { active: '管控中', released: '已解除', transferred: '已转运' };

const columns: ReadonlyArray<{ header: string; width: number; value: (c: CaseRow, i: number) => string | number | null }> = [
  { header: '序号', width: 6, value: (_c, i) => i + 1 },
  { header: '姓名', width: 10, value: (c) => c.person.name },
  { header: '证件号码', width: 22, value: (c) => c.person.idNumber },
  { header: '联系电话', width: 14, value: (c) => c.person.phone },
  { header: '居住地址', width: 30, value: (c) => c.person.address },
  { header: '所属区域', width: 36, value: (c) => c.areaName },
  { header: '管控方案', width: 16, value: (c) => c.regimeName },
  { header: '当前措施', width: 12, value: (c) => kindZh[c.kind] ?? c.kind },
  { header: '状态', width: 8, value: (c) => statusZh[c.status] ?? c.status },
  { header: '开始日期', width: 12, value: (c) => c.startDay },
  { header: '第几天', width: 8, value: (c) => c.dayNumber },
  { header: '预计解除', width: 12, value: (c) => c.plannedEnd },
  { header: '隔离点', width: 24, value: (c) => c.placeSite?.name ?? null },
];

export async function caseWorkbook(title: string, subtitle: string, notice: string | null, cases: readonly CaseRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '疫情防控指挥中心 Epidemic control command centre';
  const sheet = workbook.addWorksheet('名单');
  sheet.columns = columns.map((c) => ({ width: c.width }));
  const lines = [title, subtitle, ...(notice ? [notice] : [])];
  for (const line of lines) {
    const row = sheet.addRow([line]);
    sheet.mergeCells(row.number, 1, row.number, columns.length);
  }
  sheet.getRow(1).font = { bold: true, size: 14 };
  if (notice) sheet.getRow(lines.length).font = { bold: true, color: { argb: 'FFC00000' } };
  sheet.addRow(columns.map((c) => c.header)).font = { bold: true };
  cases.forEach((c, i) => sheet.addRow(columns.map((col) => col.value(c, i))));
  sheet.views = [{ state: 'frozen', ySplit: lines.length + 1 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
