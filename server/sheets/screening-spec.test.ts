import { describe, expect, it } from 'vitest';
import { parseCsvSheet } from '../screening/screening-sheet.ts';

describe('the screening sheet on the generic module', () => {
  it('derives the ids it derived before the generic module: files uploaded earlier stay duplicates', () => {
    // Pinned from the screening parser as it was before server/sheets: reordering the columns or
    // changing what the id is computed from would count every re-uploaded file twice.
    const csv = '健康码,筛查时间,处置结果,网格编码,体温(℃)\n绿码,2026-11-22 09:30,通行,31011500400101,36.5\n绿码,2026-11-22 09:30,通行,31011500400101,36.5\n';
    expect(parseCsvSheet(Buffer.from(csv), 'Asia/Shanghai').rows).toEqual([
      { row: 2, record: { at: '2026-11-22T01:30:00.000Z', grid: '31011500400101', temperature: 36.5, codeColour: 'green', outcome: 'pass', id: 'af59b5c1-1984-5716-aa0f-ca08db2ea65f' } },
      { row: 3, record: { at: '2026-11-22T01:30:00.000Z', grid: '31011500400101', temperature: 36.5, codeColour: 'green', outcome: 'pass', id: 'eea771a7-f57f-532f-be65-c6cc2eba6607' } },
    ]);
  });

  it('keeps refusing unknown columns, and leaves values outside the vocabulary to the record check', () => {
    expect(parseCsvSheet(Buffer.from('筛查时间,健康码,处置结果,姓名\n2026-11-22 09:30,绿码,通行,张三\n'), 'Asia/Shanghai').errors)
      .toEqual([{ row: 1, field: '姓名', reason: '无法识别的列 / unknown column' }]);
    const parsed = parseCsvSheet(Buffer.from('筛查时间,网格编码,健康码,处置结果,坐标系,经度,纬度\n2026-11-22 09:30,,紫码,,GCJ-02,121.5,31.2\n'), 'Asia/Shanghai');
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows[0]!.record).toMatchObject({ codeColour: '紫码', outcome: '', position: { lon: 121.5, lat: 31.2, crs: 'gcj02' } });
  });

  it('reads the coordinate system by the names people use (高德 is GCJ-02, 百度 is BD-09)', () => {
    const csv = '筛查时间,健康码,处置结果,坐标系,经度,纬度\n2026-11-22 09:30,绿码,通行,高德,121.5,31.2\n2026-11-22 09:31,绿码,通行,百度,121.5,31.2\n2026-11-22 09:32,绿码,通行,,121.5,31.2\n';
    const crs = parseCsvSheet(Buffer.from(csv), 'Asia/Shanghai').rows.map((r) => (r.record.position as { crs: string }).crs);
    expect(crs).toEqual(['gcj02', 'bd09', 'wgs84']);
  });
});
