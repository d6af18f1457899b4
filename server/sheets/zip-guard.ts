// An .xlsx is a zip: before exceljs inflates it, its central directory is read and every entry is
// inflated once with a ceiling, so a "zip bomb" (a small file that expands to gigabytes) is refused
// without ever being held in memory. Sizes declared in the directory are not trusted on their own.
import { inflateRawSync } from 'node:zlib';
import { AppError, badRequest } from '../errors.ts';

/** A real workbook of a few thousand rows expands to a few MB; these leave ample room. */
export const workbookLimits = {
  totalUncompressedBytes: 100 * 1024 * 1024,
  entries: 2000,
  /** deflate's ratio on sheet XML is 5–30; bombs reach 1000 */
  compressionRatio: 200,
  /** entries smaller than this are not judged by their ratio (a tiny file of blanks compresses well) */
  ratioFromBytes: 1024 * 1024,
};

const eocdSignature = 0x06054b50;
const centralSignature = 0x02014b50;
const localSignature = 0x04034b50;

const malformed = () => badRequest('不是有效的 Excel (.xlsx) 文件（压缩包已损坏）/ not a valid .xlsx file (the zip is damaged)');
const tooLarge = (why: string) =>
  new AppError(413, 'workbook_too_large', `The workbook is too large once unpacked (${why}); split it into smaller files / 工作簿解压后过大，请拆分为较小的文件`, { limits: workbookLimits });

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

function centralDirectory(zip: Buffer): Entry[] {
  // The end-of-central-directory record is in the last 22 + 65535 (comment) bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === eocdSignature) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw malformed();
  const count = zip.readUInt16LE(eocd + 10);
  const size = zip.readUInt32LE(eocd + 12);
  const offset = zip.readUInt32LE(eocd + 16);
  // ZIP64 (markers 0xFFFF / 0xFFFFFFFF) is only needed past 65535 entries or 4 GB: never a sheet.
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) throw tooLarge('ZIP64');
  if (count > workbookLimits.entries) throw tooLarge(`${count} entries`);
  if (offset + size > eocd) throw malformed();

  const entries: Entry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > offset + size || zip.readUInt32LE(at) !== centralSignature) throw malformed();
    const nameLength = zip.readUInt16LE(at + 28);
    entries.push({
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      uncompressedSize: zip.readUInt32LE(at + 24),
      localOffset: zip.readUInt32LE(at + 42),
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

/** Refuses (413 workbook_too_large, 400 when damaged) a zip that would expand past the limits. */
export function assertWorkbookSize(zip: Buffer): void {
  if (zip.length < 22) throw malformed();
  const entries = centralDirectory(zip);
  let declared = 0;
  for (const entry of entries) {
    declared += entry.uncompressedSize;
    if (declared > workbookLimits.totalUncompressedBytes) throw tooLarge(`more than ${workbookLimits.totalUncompressedBytes / 1024 / 1024} MB`);
    if (entry.uncompressedSize >= workbookLimits.ratioFromBytes && entry.uncompressedSize > workbookLimits.compressionRatio * Math.max(1, entry.compressedSize)) {
      throw tooLarge(`${entry.name} is compressed ${Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize))}:1`);
    }
  }
  // The directory may lie: inflate each entry with its declared size as the ceiling.
  for (const entry of entries) {
    const local = entry.localOffset;
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== localSignature) throw malformed();
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + entry.compressedSize);
    if (data.length !== entry.compressedSize) throw malformed();
    if (entry.method === 0) {
      if (entry.compressedSize !== entry.uncompressedSize) throw malformed();
      continue;
    }
    if (entry.method !== 8) throw malformed(); // xlsx uses deflate only
    let inflated: Buffer;
    try {
      inflated = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(`${entry.name} expands past its declared size`);
      throw malformed();
    }
    if (inflated.length !== entry.uncompressedSize) throw malformed();
  }
}
