// What a sheet (Excel or CSV) of one kind of record looks like: its columns, their Chinese and
// English headers, the values each takes, and how a row becomes the record the JSON API takes.
// One specification drives both the template officials download and the parsing of what they upload.

/** A value of an enum column: the API value, and the words officials write for it. */
export interface EnumOption {
  /** the value in the API record, e.g. 'green' */
  value: string;
  /** the word in the template's drop-down list, e.g. '绿码' */
  zh: string;
  /** other accepted spellings, e.g. '绿' or 'GCJ-02'; the value and zh are always accepted */
  aliases?: readonly string[];
}

export type ColumnKind =
  | { type: 'text' }
  /** min/max and integer go into the template's validation; the record's schema is what enforces them */
  | { type: 'number'; min?: number; max?: number; integer?: boolean }
  /** a city wall-clock time (2026-11-22 09:30, an Excel date) or an ISO 8601 time with offset */
  | { type: 'instant' }
  /** a calendar day, 2026-11-22 or an Excel date */
  | { type: 'day' }
  /**
   * One of the options. `open`: other values go on (lowercased) for the record's schema to judge,
   * instead of being refused here.
   */
  | { type: 'enum'; options: readonly EnumOption[]; open?: boolean }
  /** 是/否 (also yes/no, y/n, true/false, 1/0, 有/无); blank is no */
  | { type: 'boolean' };

export interface SheetColumn<K extends string = string> {
  key: K;
  /** header in the template; also accepted on upload */
  zh: string;
  /** English name: in the header's note and the instructions; also accepted as a header on upload */
  en: string;
  /** other accepted headers */
  aliases?: readonly string[];
  kind: ColumnKind;
  /**
   * true: the column must be in the file and every row must fill it. 'column': the column must be in
   * the file, and a blank cell is left to the record's own check.
   */
  required?: boolean | 'column';
  width: number;
  /** the column's help: in the header's note and the instructions sheet (Chinese / English) */
  note: string;
  /** an example value for the instructions sheet */
  example?: string;
  /** reason given for a cell that cannot be read (or a required one left blank), instead of the kind's own */
  message?: string;
}

/** What the parser read from one cell: a string, a number, a boolean, or nothing (blank). */
export type CellValue = string | number | boolean | undefined;

export interface SheetRowValues<K extends string> {
  /** each column's cell as text, trimmed ('' when blank or when the file lacks the column) */
  text: Record<K, string>;
  /** each column's cell read according to its kind; instants as ISO 8601 strings, days as YYYY-MM-DD */
  values: Partial<Record<K, CellValue>>;
}

export interface SheetSpec<K extends string = string> {
  /** name of the data sheet in the template */
  sheetName: string;
  columns: readonly SheetColumn<K>[];
  /** the column holding the record's id; rows that leave it blank get an id derived from their content */
  idKey: K;
  /**
   * The content a derived id is computed from (with the row's occurrence among identical rows in the
   * file): the same file uploaded again gives the same ids. Default: the text of every other column.
   */
  identity?: (row: SheetRowValues<K>) => readonly string[];
  /** Builds the API record (without its id) from a row whose cells could all be read, or names what is wrong. */
  toRecord: (row: SheetRowValues<K>) => { record: Record<string, unknown> } | { errors: ReadonlyArray<{ key: K; reason: string }> };
  /** Columns that are not in the specification: refused ('reject'), or ignored and reported ('ignore'). */
  unknownColumns: 'reject' | 'ignore';
  maxRows: number;
  /**
   * Record fields (as the record checks name them, before any dot) that are not a column key, and the
   * column they come from: e.g. position → lon.
   */
  fieldColumns?: Readonly<Record<string, K>>;
  /** lines after the column list in the instructions sheet */
  instructions: readonly string[];
}

/** A problem with a row (row numbers as Excel shows them, 1 = the header; 0 = the file as a whole). */
export interface SheetRowError {
  row: number;
  /** the column's label, 中文 (English), or '' for the whole row or file */
  field: string;
  reason: string;
}

/** Column label for error reports: the Chinese header, with the English in brackets. */
export function columnLabel<K extends string>(spec: SheetSpec<K>, field: string): string {
  const direct = spec.columns.find((c) => c.key === field);
  const head = field.split('.')[0] ?? field;
  const column = direct
    ?? spec.columns.find((c) => c.key === spec.fieldColumns?.[field])
    ?? spec.columns.find((c) => c.key === head || c.key === spec.fieldColumns?.[head]);
  return column ? `${column.zh} (${column.en})` : field;
}
