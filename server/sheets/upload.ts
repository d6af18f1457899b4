// The part of a sheet upload that is the same for every kind of record: reading the multipart file,
// telling .xlsx from CSV, and turning a feature's record-level problems into a per-row report.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { AppError, badRequest } from '../errors.ts';
import { isXlsx, parseCsvSheet, parseXlsx, type ParsedSheet } from './parse.ts';
import { columnLabel, type SheetRowError, type SheetSpec } from './sheet-spec.ts';

export const maxUploadBytes = 10 * 1024 * 1024;
/** An answer listing more problems than this helps nobody; the message says how many rows were bad. */
export const maxReportedRowErrors = 1000;

/** Multipart parsing for a feature's routes (each feature is its own Fastify context). */
export async function registerSheetUploads(app: FastifyInstance): Promise<void> {
  // One file and a few fields (413 past that; the parts limit too, or too many fields ends in a
  // premature-close 500 instead); a field's value is cut at 1 KB, none is used anyway.
  await app.register(multipart, { limits: { fileSize: maxUploadBytes, files: 1, fields: 5, parts: 6, fieldSize: 1024 } });
}

/** The uploaded file (multipart field `file`) read by the specification; 400 without one, 413 past the size limit. */
export async function readUploadedSheet<K extends string>(request: FastifyRequest, spec: SheetSpec<K>, timeZone: string): Promise<ParsedSheet> {
  if (!request.isMultipart()) throw badRequest('Send the file as multipart/form-data in the field "file" / 请以 multipart 上传文件');
  const file = await request.file();
  if (!file) throw badRequest('No file in the request / 未收到文件');
  let buffer: Buffer;
  try {
    buffer = await file.toBuffer();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 413) throw error;
    throw new AppError(413, 'payload_too_large', `The file is larger than ${maxUploadBytes / 1024 / 1024} MB / 文件超过 ${maxUploadBytes / 1024 / 1024} MB，请拆分后上传`);
  }
  const xlsx = isXlsx(buffer);
  if (!xlsx && /\.xlsx?$/i.test(file.filename)) throw badRequest('The file is not a valid .xlsx workbook (old .xls is not supported: save as .xlsx) / 请另存为 .xlsx');
  return xlsx ? parseXlsx(spec, buffer, timeZone) : parseCsvSheet(spec, buffer, timeZone);
}

export type IngestMode = 'all-or-nothing' | 'valid-only' | 'check-only';

/** What a feature's ingestion says about the records it was given (indices into them). */
export interface IngestOutcome {
  stored: boolean;
  errors: ReadonlyArray<{ index: number; field: string; message: string }>;
  /** nothing stored because every problem is a conflict with what is stored (409 instead of 400) */
  conflict?: boolean;
}

/**
 * Runs a parsed sheet through a feature's own ingestion: all or nothing; only the good rows with
 * `importValid`; or, when the sheet itself has problems, only checks (to report every problem of the
 * file at once). Throws the 400 (409 for conflicts) with every problem by row when nothing was stored.
 */
export async function importSheet<K extends string, R extends IngestOutcome>(
  spec: SheetSpec<K>,
  sheet: ParsedSheet,
  importValid: boolean,
  ingest: (records: Array<Record<string, unknown>>, mode: IngestMode) => Promise<R>,
): Promise<{ result: R; skipped: SheetRowError[]; importedRows: number }> {
  const problems: SheetRowError[] = [...sheet.errors];
  if (sheet.dataRows === 0 && problems.length === 0) problems.push({ row: 0, field: '', reason: '文件中没有记录 / the file has no records' });
  const mode: IngestMode = importValid ? 'valid-only' : problems.length > 0 ? 'check-only' : 'all-or-nothing';
  const result = sheet.rows.length > 0 ? await ingest(sheet.rows.map((r) => r.record), mode) : undefined;
  for (const error of result?.errors ?? []) {
    problems.push({ row: sheet.rows[error.index]!.row, field: columnLabel(spec, error.field), reason: error.message });
  }
  problems.sort((a, b) => a.row - b.row);
  const rowsWithProblems = new Set(problems.map((p) => p.row));
  if (!result?.stored) {
    const n = rowsWithProblems.size;
    throw result?.conflict
      ? new AppError(409, 'conflict', `${n} row(s) conflict with results already stored; nothing was imported / ${n} 行与已有结果冲突，未导入任何记录`, problems.slice(0, maxReportedRowErrors))
      : new AppError(400, 'validation_failed', `${n} row(s) have errors; nothing was imported / ${n} 行有错误，未导入任何记录`, problems.slice(0, maxReportedRowErrors));
  }
  const importedRows = sheet.rows.filter((r) => !rowsWithProblems.has(r.row)).length;
  return { result, skipped: problems.slice(0, maxReportedRowErrors), importedRows };
}
