// API shapes shared by every sheet upload (screening, nucleic-acid tests): the query, the per-row
// problems, the refusal.
import { Type, type Static } from 'typebox';

export const SheetRowError = Type.Object({
  row: Type.Integer({ description: 'row number as Excel shows it (1 = the header row); 0 = the file as a whole' }),
  field: Type.String({ description: 'the column, 中文 (English); empty for the whole row or file' }),
  reason: Type.String({ description: 'what is wrong, in Chinese and English' }),
});
export type SheetRowError = Static<typeof SheetRowError>;

export const SheetUploadQuery = Type.Object({
  importValid: Type.Optional(Type.Boolean({ default: false, description: 'store the good rows of a file that has bad ones, and list the bad ones under `skipped`' })),
});

/** 400 (bad rows, or a file that is no usable sheet) or 409 (only results conflicting with stored ones): nothing was stored. */
export const SheetRejected = Type.Object({
  code: Type.String({ description: 'validation_failed, conflict, or bad_request for a request without a usable file' }),
  message: Type.String(),
  details: Type.Optional(Type.Array(SheetRowError, { description: 'every problem, by row (at most 1,000)' })),
});

/** What every upload answers (a feature adds its own figures, e.g. results). */
export const sheetUploadFigures = {
  rows: Type.Integer({ description: 'non-empty data rows in the file' }),
  accepted: Type.Integer({ description: 'records stored by this upload' }),
  duplicates: Type.Integer({ description: 'rows imported that were already stored (the same file uploaded again), ignored' }),
  skipped: Type.Array(SheetRowError, { description: 'with importValid: the problems of the rows that were not imported' }),
  ignoredColumns: Type.Array(Type.String(), { description: 'headers the sheet does not know, not stored' }),
};
