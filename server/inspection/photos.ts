// Inspection photos arrive base64 in the visit form; each is checked to be the image it claims to
// be and stored once by its SHA-256.
import { createHash } from 'node:crypto';
import { maxPhotoBytes } from '../contracts/inspection.ts';

export interface DecodedPhoto {
  sha256: string;
  contentType: string;
  bytes: Buffer;
}

const signatures: Record<string, (b: Buffer) => boolean> = {
  'image/jpeg': (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/webp': (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};

/** The photos decoded, or the problems found: { field, message } for each bad one. */
export function decodePhotos(photos: ReadonlyArray<{ contentType: string; dataBase64: string }>): { photos: DecodedPhoto[]; errors: Array<{ field: string; message: string }> } {
  const decoded: DecodedPhoto[] = [];
  const errors: Array<{ field: string; message: string }> = [];
  photos.forEach((photo, index) => {
    const field = `photos/${index}`;
    const text = photo.dataBase64.replace(/\s+/g, '');
    // Buffer.from ignores what is not base64; a strict check keeps garbage out.
    if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
      errors.push({ field, message: '不是有效的 base64 / not valid base64' });
      return;
    }
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length === 0 || bytes.length > maxPhotoBytes) {
      errors.push({ field, message: `照片须在 ${maxPhotoBytes / 1024 / 1024} MB 以内 / a photo must be 1 byte to ${maxPhotoBytes} bytes` });
      return;
    }
    if (!signatures[photo.contentType]?.(bytes)) {
      errors.push({ field, message: `内容不是 ${photo.contentType} 图片 / the content is not ${photo.contentType}` });
      return;
    }
    decoded.push({ sha256: createHash('sha256').update(bytes).digest('hex'), contentType: photo.contentType, bytes });
  });
  return { photos: decoded, errors };
}
