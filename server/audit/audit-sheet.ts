// The audit log as an Excel workbook: one row per entry, the filters it was searched with on top.
import ExcelJS from 'exceljs';
import type { AuditLogEntry } from '../contracts/audit.ts';

const columns: ReadonlyArray<{ header: string; width: number; value: (e: AuditLogEntry) => string | number | null }> = [
  { header: '编号 ID', width: 10, value: (e) => e.id },
  { header: '时间 Time', width: 26, value: (e) => e.at },
  { header: '用户 User', width: 14, value: (e) => e.username },
  { header: '角色 Role', width: 16, value: (e) => e.role },
  { header: '辖区 Jurisdiction', width: 14, value: (e) => e.jurisdictionCode },
  { header: '操作 Action', width: 18, value: (e) => e.action },
  { header: '对象 Resource', width: 20, value: (e) => e.resource },
  { header: '对象编号 Resource id', width: 38, value: (e) => e.resourceId },
  { header: '详情 Detail', width: 50, value: (e) => JSON.stringify(e.detail) },
  { header: '来源地址 IP', width: 16, value: (e) => e.ip },
  { header: '客户端 User agent', width: 30, value: (e) => e.userAgent },
  { header: '事由 Reason', width: 30, value: (e) => e.reason },
];

export async function auditWorkbook(items: readonly AuditLogEntry[], total: number, filters: Record<string, string>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '疫情防控指挥中心 Epidemic control command centre';
  const sheet = workbook.addWorksheet('审计日志');
  sheet.columns = columns.map((c) => ({ width: c.width }));
  const shown = Object.entries(filters).map(([k, v]) => `${k}=${v}`).join('，') || '全部 all';
  sheet.addRow([`审计日志 Audit log　　条件 filters：${shown}　　共 ${total} 条${total > items.length ? `，导出前 ${items.length} 条` : ''}`]);
  sheet.mergeCells(1, 1, 1, columns.length);
  sheet.getRow(1).font = { bold: true };
  sheet.addRow(columns.map((c) => c.header)).font = { bold: true };
  for (const entry of items) sheet.addRow(columns.map((c) => c.value(entry)));
  sheet.views = [{ state: 'frozen', ySplit: 2 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
