// A team's route sheet for a day (督查路线单) as an Excel workbook: the team, the stops in road
// order with planned and recorded times, the lunch break, blank checklist columns to fill in on
// paper and a signature line. Printed on A4 landscape with the stop header repeated on each page.
import ExcelJS from 'exceljs';
import type { DayPlan, Round, Team, Visit } from '../contracts/inspection.ts';
import type { SheetSite } from './inspection.repository.ts';

export interface RouteSheetInput {
  round: Round;
  team: Team;
  day: string;
  plan: DayPlan;
  sites: Map<number, SheetSite>;
  /** priority score per site on the day (absent when the site is not one the team would be given) */
  scores: Map<number, number>;
  /** the team's visits of the day, by site */
  visits: Map<number, Visit>;
  timeZone: string;
}

const resultLabel: Record<string, string> = { pass: '合格', fail: '不合格', na: '不适用' };

function clock(iso: string | null, timeZone: string): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

/** Minutes on the road before a stop: from the previous departure (or setting out), less a lunch taken in between. */
function travelMinutes(plan: DayPlan, index: number): number | null {
  const stop = plan.stops[index]!;
  const from = index === 0 ? plan.departAt : plan.stops[index - 1]!.plannedDeparture;
  if (!from) return null;
  let ms = Date.parse(stop.plannedArrival) - Date.parse(from);
  if (plan.lunchStart && plan.lunchEnd && Date.parse(plan.lunchStart) >= Date.parse(from) && Date.parse(plan.lunchEnd) <= Date.parse(stop.plannedArrival)) {
    ms -= Date.parse(plan.lunchEnd) - Date.parse(plan.lunchStart);
  }
  return Math.max(0, Math.round(ms / 60_000));
}

export const routeSheetName = '督查路线单';

/** Fixed columns before the checklist; the round's checks follow, then 发现问题 and 备注. */
const fixedColumns = [
  { header: '序号', width: 6 },
  { header: '工地', width: 30 },
  { header: '地址', width: 30 },
  { header: '所属区/街道', width: 18 },
  { header: '计划到达', width: 9 },
  { header: '计划离开', width: 9 },
  { header: '行驶时间（分）', width: 9 },
  { header: '优先分', width: 7 },
  { header: '实际到达', width: 9 },
  { header: '实际离开', width: 9 },
] as const;

export async function routeSheetWorkbook(input: RouteSheetInput): Promise<Buffer> {
  const { round, team, day, plan, sites, scores, visits, timeZone } = input;
  const headers = [
    ...fixedColumns.map((c) => c.header),
    ...round.checklist.map((c) => c.label_zh),
    '发现问题', '备注',
  ];
  const widths = [...fixedColumns.map((c) => c.width), ...round.checklist.map(() => 14), 28, 14];
  const last = headers.length;

  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date(0);
  const sheet = workbook.addWorksheet(routeSheetName, {
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true, fitToWidth: 1, fitToHeight: 0,
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
    },
  });
  sheet.columns = widths.map((width) => ({ width }));

  const title = sheet.addRow([`${team.name} 督查路线单（${round.name}，${day}）`]);
  sheet.mergeCells(title.number, 1, title.number, last);
  title.font = { bold: true, size: 14 };
  title.alignment = { horizontal: 'center' };

  const hours = plan.departAt ? `${clock(plan.departAt, timeZone)}–${clock(plan.returnAt, timeZone)}` : `${team.workStart}–${team.workEnd}`;
  const facts: Array<[string, string]> = [
    ['组长', [team.leaderName, team.leaderPhone].filter(Boolean).join(' ')],
    ['组员', team.members.map((m) => (m.agency ? `${m.name}（${m.agency}）` : m.name)).join('、') || '—'],
    ['车辆', team.vehicle || '—'],
    ['出发地', team.baseName],
    ['工作时间', hours],
    ['路线单上报截止', `${day} ${round.sheetDeadline}`],
  ];
  for (const [label, value] of facts) {
    const row = sheet.addRow([label, value]);
    sheet.mergeCells(row.number, 2, row.number, last);
    row.getCell(1).font = { bold: true };
  }
  sheet.addRow([]);

  const header = sheet.addRow(headers);
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  const headerRow = header.number;

  const lunchStart = plan.lunchStart ? Date.parse(plan.lunchStart) : null;
  let lunchWritten = false;
  const addLunch = () => {
    if (lunchWritten || !plan.lunchStart) return;
    lunchWritten = true;
    const place = plan.lunchPlace === 'station' ? '区站' : plan.lunchPlace === 'base' ? team.baseName : '';
    const row = sheet.addRow(['', `午餐${place ? `（${place}）` : ''}`, '', '', clock(plan.lunchStart, timeZone), clock(plan.lunchEnd, timeZone)]);
    row.font = { italic: true };
  };

  plan.stops.forEach((stop, index) => {
    if (lunchStart !== null && Date.parse(stop.plannedArrival) >= lunchStart) addLunch();
    const site = sites.get(stop.siteId);
    const visit = visits.get(stop.siteId);
    const row = sheet.addRow([
      stop.seq,
      stop.siteName,
      site?.address ?? '',
      site ? [site.districtName, site.streetName].filter(Boolean).join(' / ') : '',
      clock(stop.plannedArrival, timeZone),
      clock(stop.plannedDeparture, timeZone),
      travelMinutes(plan, index),
      scores.get(stop.siteId) ?? null,
      visit ? clock(visit.arrivedAt, timeZone) : '',
      visit ? clock(visit.departedAt, timeZone) : '',
      // blank when not yet visited: the team ticks these on paper
      ...round.checklist.map((c) => (visit ? resultLabel[visit.results[c.key] ?? ''] ?? '' : '')),
      visit?.findings ?? '',
      visit?.notice ? `整改通知 ${visit.notice.number}，期限 ${visit.notice.deadline}` : '',
    ]);
    row.alignment = { vertical: 'middle', wrapText: true };
    row.height = 30; // room to write by hand
  });
  addLunch();

  const bordered = { style: 'thin' } as const;
  for (let r = headerRow; r <= sheet.rowCount; r++) {
    for (let c = 1; c <= last; c++) {
      sheet.getCell(r, c).border = { top: bordered, left: bordered, bottom: bordered, right: bordered };
    }
  }

  sheet.addRow([]);
  const sign = sheet.addRow([`组长签字：__________________    组员签字：__________________    日期：${day}`]);
  sheet.mergeCells(sign.number, 1, sign.number, last);

  sheet.views = [{ state: 'frozen', ySplit: headerRow }];
  sheet.pageSetup.printTitlesRow = `${headerRow}:${headerRow}`;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
