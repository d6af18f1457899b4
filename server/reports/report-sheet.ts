// Excel of the daily reports: the unit's template (one row, pre-filled, validated cells) read back
// by the generic sheet parser, the printable multi-sheet export of an area's day, and ledger exports.
import ExcelJS from 'exceljs';
import { sheetTemplate, type SheetColumn, type SheetSpec } from '../sheets/index.ts';
import { reportFigureKeys, type Compliance, type LedgerEntry, type ReportFigureKey, type ReportFigures, type Rollup } from '../contracts/reports.ts';

type Key = 'unitCode' | 'unitName' | 'day' | 'zero' | ReportFigureKey | 'notes' | 'submissionId';

export const figureLabels: Record<ReportFigureKey, { zh: string; en: string }> = {
  arrivalsOverseas: { zh: '境外入境', en: 'Overseas arrivals' },
  arrivalsRiskArea: { zh: '中高风险地区来沪', en: 'Risk-area arrivals' },
  arrivalsOutOfProvince: { zh: '外省返沪', en: 'Out-of-province returnees' },
  bigDataChecks: { zh: '大数据核查', en: 'Big-data checks' },
  centralised: { zh: '集中隔离', en: 'Centralised quarantine' },
  homeQuarantine: { zh: '居家隔离', en: 'Home quarantine' },
  homeMonitoring: { zh: '居家健康监测', en: 'Home monitoring' },
  released: { zh: '当日解除', en: 'Released' },
  abnormal: { zh: '异常情况', en: 'Abnormal findings' },
};

const figureColumn = (key: ReportFigureKey): SheetColumn<Key> => ({
  key, zh: figureLabels[key].zh, en: figureLabels[key].en, width: 12, kind: { type: 'number', min: 0, max: 1_000_000, integer: true },
  note: '人数，0 或正整数；零报告可留空 / a count, 0 or more; may be blank in a zero report', example: '0',
});

export const reportSheet: SheetSpec<Key> = {
  sheetName: '日报',
  columns: [
    { key: 'unitCode', zh: '单位代码', en: 'Unit code', width: 16, kind: { type: 'text' }, required: true,
      note: '报告单位代码（社区 12 位区划代码，或 site-场所编号），须与下载模板的单位一致 / The unit of the template', example: '310115004001' },
    { key: 'unitName', zh: '单位名称', en: 'Unit name', width: 20, kind: { type: 'text' }, note: '仅供阅读，不导入 / For reading only' },
    { key: 'day', zh: '报告日期', en: 'Day', aliases: ['日期'], width: 12, kind: { type: 'day' }, required: true,
      note: '报告所属日期，须与模板一致 / The report\'s day, as in the template', example: '2026-11-22' },
    { key: 'zero', zh: '零报告', en: 'Zero report', width: 10, kind: { type: 'boolean' },
      note: '是：无情况报告（各项为 0）/ 是 = nothing to report (every figure 0)', example: '否' },
    ...reportFigureKeys.map(figureColumn),
    { key: 'notes', zh: '情况说明', en: 'Notes', aliases: ['备注'], width: 40, kind: { type: 'text' }, note: '不超过 1000 字 / At most 1000 characters' },
    { key: 'submissionId', zh: '提交编号', en: 'Submission ID', width: 38, kind: { type: 'text' },
      note: '可不填：系统按内容生成，同一文件重复上传不会重复提交 / Optional; derived from the content when blank' },
  ],
  idKey: 'submissionId',
  toRecord({ values: v }) {
    const errors: Array<{ key: Key; reason: string }> = [];
    const zero = v.zero === true;
    const figures: Record<string, unknown> = {};
    for (const key of reportFigureKeys) {
      if (v[key] !== undefined) figures[key] = v[key];
      else if (!zero) errors.push({ key, reason: '非零报告须填写 / required unless 零报告 is 是' });
      else figures[key] = 0;
      if (zero && typeof v[key] === 'number' && v[key] !== 0) errors.push({ key, reason: '零报告各项应为 0 / a zero report has every figure 0' });
    }
    if (errors.length > 0) return { errors };
    const record: Record<string, unknown> = { unitCode: v.unitCode, day: v.day, zero };
    if (zero) {
      if (v.notes !== undefined) record.notes = String(v.notes);
    } else {
      record.figures = v.notes === undefined ? figures : { ...figures, notes: String(v.notes) };
    }
    return { record };
  },
  unknownColumns: 'ignore',
  maxRows: 1,
  fieldColumns: Object.fromEntries([...reportFigureKeys.map((k) => [`figures.${k}`, k]), ['figures.notes', 'notes'], ['figures', 'centralised']]) as Record<string, Key>,
  instructions: [
    '每个单位每天报送一份日报；再次上传即为更正，保留修改记录 / One report per unit per day; uploading again corrects it (history kept).',
    '无情况时将“零报告”选为“是” / Choose 是 under 零报告 when there is nothing to report.',
    '模板已按系统数据预填，请核对后修改 / Pre-filled from live data: check and correct.',
  ],
};

/** The unit's template with one pre-filled row. */
export async function reportTemplate(unit: { code: string; name: string }, day: string, figures: ReportFigures, zero: boolean): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await sheetTemplate(reportSheet)) as unknown as ExcelJS.Buffer);
  const sheet = workbook.getWorksheet(reportSheet.sheetName)!;
  const row = sheet.getRow(2);
  const cell = (key: Key) => row.getCell(reportSheet.columns.findIndex((c) => c.key === key) + 1);
  cell('unitCode').value = unit.code;
  cell('unitName').value = unit.name;
  cell('day').value = new Date(`${day}T00:00:00Z`);
  cell('zero').value = zero ? '是' : '否';
  for (const key of reportFigureKeys) cell(key).value = figures[key];
  if (figures.notes) cell('notes').value = figures.notes;
  row.commit();
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const statusZh: Record<string, string> = { on_time: '按时', late: '迟报', missing: '未报', pending: '待报' };
const fills = {
  header: 'FF1F4E79',
  late: 'FFFFE699',
  missing: 'FFF8CBAD',
  total: 'FFD9E1F2',
};
const solid = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });
const thin: Partial<ExcelJS.Borders> = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };

/** A printable sheet: title (row 1), subtitle (row 2), header (row 3, repeated on every page). */
function printableSheet(workbook: ExcelJS.Workbook, name: string, title: string, subtitle: string, headers: Array<{ header: string; width: number }>): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: 3 }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '3:3',
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 } },
    headerFooter: { oddFooter: '第 &P 页，共 &N 页' },
  });
  sheet.columns = headers.map((h) => ({ width: h.width }));
  sheet.mergeCells(1, 1, 1, headers.length);
  sheet.mergeCells(2, 1, 2, headers.length);
  sheet.getCell(1, 1).value = title;
  sheet.getCell(1, 1).font = { bold: true, size: 16 };
  sheet.getCell(1, 1).alignment = { horizontal: 'center' };
  sheet.getCell(2, 1).value = subtitle;
  sheet.getCell(2, 1).alignment = { horizontal: 'center' };
  const header = sheet.getRow(3);
  header.values = headers.map((h) => h.header);
  header.font = { bold: true, color: { argb: 'FFFFFFFF' } };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  header.eachCell((c) => {
    c.fill = solid(fills.header);
    c.border = thin;
  });
  return sheet;
}

const bordered = (row: ExcelJS.Row) => row.eachCell({ includeEmpty: true }, (c) => { c.border = thin; });

/** The day's report of an area as an official prints it: summary by child area, every unit (late and missing highlighted), checks. */
export async function dailyExport(compliance: Compliance, rollup: Rollup, figuresOf: ReadonlyMap<string, ReportFigures>, timeZone: string): Promise<Buffer> {
  const generatedAt = cityStamp(new Date().toISOString(), timeZone);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '疫情防控指挥中心 Epidemic control command centre';
  const title = `${compliance.name}疫情防控日报汇总表`;
  const subtitle = `报告日期：${compliance.day}　　导出时间：${generatedAt}　　应报 ${compliance.totals.expected}，按时 ${compliance.totals.onTime}，迟报 ${compliance.totals.late}，未报 ${compliance.totals.missing}，待报 ${compliance.totals.pending}`;
  const figureHeaders = reportFigureKeys.map((k) => ({ header: figureLabels[k].zh, width: 11 }));

  const summary = printableSheet(workbook, '汇总', title, subtitle, [
    { header: '区域', width: 22 }, { header: '应报', width: 8 }, { header: '已报', width: 8 }, { header: '按时', width: 8 },
    { header: '迟报', width: 8 }, { header: '未报', width: 8 }, { header: '零报告', width: 8 }, ...figureHeaders,
  ]);
  const sums = new Map(rollup.children.map((c) => [c.area, c.sums]));
  for (const child of compliance.children) {
    const s = sums.get(child.area);
    const row = summary.addRow([child.name, child.expected, child.reported, child.onTime, child.late, child.missing, child.zero, ...reportFigureKeys.map((k) => s?.[k] ?? 0)]);
    bordered(row);
    if (child.missing > 0 || child.late > 0) row.getCell(1).fill = solid(child.missing > 0 ? fills.missing : fills.late);
  }
  const t = compliance.totals;
  const total = summary.addRow(['合计', t.expected, t.reported, t.onTime, t.late, t.missing, t.zero, ...reportFigureKeys.map((k) => rollup.sums[k])]);
  total.font = { bold: true };
  total.eachCell((c) => { c.fill = solid(fills.total); });
  bordered(total);

  const units = printableSheet(workbook, '各单位', title, subtitle, [
    { header: '单位代码', width: 16 }, { header: '单位名称', width: 22 }, { header: '状态', width: 8 }, { header: '报送时间', width: 18 },
    { header: '零报告', width: 8 }, ...figureHeaders, { header: '街道审核', width: 9 }, { header: '区审核', width: 9 },
  ]);
  for (const u of compliance.units) {
    const f = figuresOf.get(u.unitCode);
    const row = units.addRow([
      u.unitCode, u.name, statusZh[u.status] ?? u.status, u.submittedAt ? cityStamp(u.submittedAt, timeZone) : '', u.zero === null ? '' : u.zero ? '是' : '否',
      ...reportFigureKeys.map((k) => (f ? f[k] : null)), u.streetSigned ? '是' : '否', u.districtSigned ? '是' : '否',
    ]);
    bordered(row);
    if (u.status === 'late' || u.status === 'missing') row.eachCell({ includeEmpty: true }, (c) => { c.fill = solid(u.status === 'late' ? fills.late : fills.missing); });
  }
  units.getColumn(1).numFmt = '@';

  const checks = printableSheet(workbook, '数据核对', `${compliance.name}日报与系统数据核对`, subtitle, [
    { header: '单位代码', width: 16 }, { header: '单位名称', width: 22 }, { header: '项目', width: 16 }, { header: '上报', width: 10 }, { header: '系统', width: 10 }, { header: '说明', width: 60 },
  ]);
  for (const i of rollup.inconsistencies) {
    bordered(checks.addRow([i.unitCode, i.name, figureLabels[i.field as ReportFigureKey]?.zh ?? i.field, i.reported, i.registry, i.message]));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** 2026-11-22 08:59 in the city. */
export function cityStamp(isoInstant: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(isoInstant));
  return parts.replace('T', ' ');
}

const ledgerTitles: Record<string, string> = {
  big_data_check: '大数据核查人员台账',
  overseas_arrival: '境外入境人员台账',
  risk_area_arrival: '国内中高风险地区来沪人员台账',
  out_of_province_returnee: '外省返沪人员台账',
};
const measureZh: Record<string, string> = { centralised: '集中隔离', home_quarantine: '居家隔离', home_monitoring: '居家健康监测' };
const codeZh: Record<string, string> = { green: '绿码', yellow: '黄码', red: '红码' };

/** A ledger as a printable workbook; `maskedNotice` (when the personal data is masked) is said under the title. */
export async function ledgerExport(kind: string, areaName: string, period: string, entries: LedgerEntry[], generatedAt: string, maskedNotice: string | null): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '疫情防控指挥中心 Epidemic control command centre';
  const subtitle = `${period}　　导出时间：${generatedAt}　　共 ${entries.length} 人${maskedNotice ? `　　${maskedNotice}` : ''}`;
  const sheet = printableSheet(workbook, '台账', `${areaName}${ledgerTitles[kind] ?? kind}`, subtitle, [
    { header: '序号', width: 6 }, { header: '日期', width: 12 }, { header: '姓名', width: 10 }, { header: '证件号码', width: 22 }, { header: '联系电话', width: 14 },
    { header: '居住地址', width: 30 }, { header: '所属区域', width: 36 }, { header: '来源地', width: 16 }, { header: '风险等级', width: 9 },
    { header: '健康码', width: 8 }, { header: '管控措施', width: 12 }, { header: '预计解除', width: 12 },
  ]);
  entries.forEach((e, i) => {
    bordered(sheet.addRow([i + 1, e.day, e.name, e.idNumber, e.phone ?? '', e.address ?? '', e.areaName, e.origin ?? '',
      e.riskAreaLevel === 'high' ? '高' : e.riskAreaLevel === 'medium' ? '中' : '', codeZh[e.healthCode] ?? e.healthCode,
      e.measure ? measureZh[e.measure] ?? e.measure : '', e.plannedEnd ?? '']));
  });
  sheet.getColumn(4).numFmt = '@';
  sheet.getColumn(5).numFmt = '@';
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
