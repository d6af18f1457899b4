// Sheets (.xlsx / .csv) of records: one specification gives the template and the parser.
export * from './sheet-spec.ts';
export { cityWallClock, contentId, decodeCsv, isXlsx, parseCsvSheet, parseSheet, parseXlsx, type ParsedSheet } from './parse.ts';
export { sheetTemplate } from './template.ts';
export { importSheet, maxReportedRowErrors, maxUploadBytes, readUploadedSheet, registerSheetUploads, type IngestMode, type IngestOutcome } from './upload.ts';
export { SheetRejected, SheetUploadQuery, SheetRowError as SheetRowErrorSchema, sheetUploadFigures } from './contracts.ts';
