// The week's notice list (通报) as an Excel workbook: the sites named, with the units and people
// responsible, as the safety section forwards it on Thursdays.
import ExcelJS from 'exceljs';
import type { NoticeItem } from '../contracts/inspection.ts';

export const noticeColumns: ReadonlyArray<{ header: string; key: keyof NoticeItem | 'index'; width: number }> = [
  { header: '序号', key: 'index', width: 6 },
  { header: '检查日期', key: 'day', width: 12 },
  { header: '区', key: 'districtName', width: 12 },
  { header: '工地名称', key: 'siteName', width: 40 },
  { header: '地址', key: 'address', width: 36 },
  { header: '责任单位', key: 'responsibleUnit', width: 30 },
  { header: '责任人', key: 'responsiblePerson', width: 10 },
  { header: '联系电话', key: 'responsiblePhone', width: 14 },
  { header: '督查组', key: 'teamName', width: 10 },
  { header: '未落实事项', key: 'failedChecks', width: 36 },
  { header: '发现问题', key: 'findings', width: 40 },
  { header: '整改通知单编号', key: 'noticeNumber', width: 18 },
  { header: '整改期限', key: 'noticeDeadline', width: 12 },
];

export async function noticeWorkbook(title: string, items: readonly NoticeItem[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date(0);
  const sheet = workbook.addWorksheet('拟通报工地');
  sheet.columns = noticeColumns.map((c) => ({ key: c.key, width: c.width }));
  sheet.addRow([title]);
  sheet.mergeCells(1, 1, 1, noticeColumns.length);
  sheet.getRow(1).font = { bold: true, size: 14 };
  const header = sheet.addRow(noticeColumns.map((c) => c.header));
  header.font = { bold: true };
  items.forEach((item, index) => {
    sheet.addRow(noticeColumns.map((c) => {
      if (c.key === 'index') return index + 1;
      const value = item[c.key];
      return Array.isArray(value) ? value.join('；') : value;
    }));
  });
  sheet.views = [{ state: 'frozen', ySplit: 2 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
