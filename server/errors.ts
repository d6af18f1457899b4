// Stable error codes and the one error handler: every failure leaves as { code, message }.
import type { FastifyError, FastifyInstance } from 'fastify';

export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'csrf'
  | 'account_locked'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'workbook_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: unknown) => new AppError(400, 'bad_request', message, details);
export const validationFailed = (message: string, details?: unknown) =>
  new AppError(422, 'validation_failed', message, details);
export const notFound = (message: string) => new AppError(404, 'not_found', message);
export const forbidden = (message: string) => new AppError(403, 'forbidden', message);
export const unauthenticated = (message = 'Please sign in / 请先登录') => new AppError(401, 'unauthenticated', message);
export const conflict = (message: string) => new AppError(409, 'conflict', message);

// PostgreSQL errors caused by the input are client errors. Their text names tables, constraints and
// values, so the answer carries a fixed message of its own; the original goes to the log.
const sqlStateAnswers: Record<string, [number, ErrorCode, string]> = {
  '22001': [400, 'bad_request', 'Text too long / 文本过长'],
  '22003': [400, 'bad_request', 'Number out of range / 数值超出范围'],
  '22021': [400, 'bad_request', 'Text contains characters that cannot be stored (e.g. NUL) / 文本含有无法保存的字符'],
  '22P05': [400, 'bad_request', 'Text contains characters that cannot be stored (e.g. NUL) / 文本含有无法保存的字符'],
  '23502': [400, 'bad_request', 'A required value is missing / 缺少必填值'],
  '23503': [400, 'bad_request', 'Refers to something that does not exist / 引用的记录不存在'],
  '23505': [409, 'conflict', 'Already exists / 记录已存在'],
  '23514': [400, 'bad_request', 'Value not allowed / 数值不符合要求'],
  '23P01': [409, 'conflict', 'Overlaps an existing record / 与已有记录冲突'],
  '54000': [400, 'bad_request', 'Value too large / 数值过大'],
  '54001': [400, 'bad_request', 'Input too deeply nested / 输入嵌套过深'],
};
// PostGIS reports bad geometry as internal_error (XX000); only these messages are the input's fault.
const geometryMessage = /GEOS|geometry|TopologyException|parse error|IllegalArgumentException|ring|self-intersection|invalid/i;

function fromPostgres(error: { code?: string; message: string }): AppError | undefined {
  const code = error.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  if (code === '23503' && /^update or delete on/.test(error.message)) {
    return new AppError(409, 'conflict', 'Still in use by other records / 仍被其他记录引用');
  }
  const answer = sqlStateAnswers[code];
  if (answer) return new AppError(answer[0], answer[1], answer[2]);
  // Class 22, data exception: a value PostgreSQL cannot take (bad number, date, geometry text...).
  if (code.startsWith('22')) return new AppError(400, 'bad_request', 'Invalid value / 输入值无效');
  if (code === 'XX000' && geometryMessage.test(error.message)) return new AppError(400, 'bad_request', 'Invalid geometry / 几何图形无效');
  return undefined;
}

// @fastify/multipart passes busboy's complaints about a malformed body on as plain errors.
const multipartMessage = /^(Multipart: |Unexpected end of (multipart data|form)|Malformed part header|The needle cannot|\w+ terminated early due to unexpected end of multipart data)/;

/** NUL (PostgreSQL refuses it in text) or a lone surrogate (stored as U+FFFD, silently): refused. */
const unstorableText = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** A cheap first look: almost every string has neither NUL nor any surrogate. */
const maybeUnstorable = /[\u0000\ud800-\udfff]/;
const unstorable = (text: string) => maybeUnstorable.test(text) && unstorableText.test(text);

/** The keys, innermost first, down to the first string (or key) that cannot be stored. */
function unstorableAt(value: unknown): string[] | undefined {
  if (typeof value === 'string') return unstorable(value) ? [] : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorableAt(value[i]);
      if (found) return [...found, String(i)];
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (unstorable(key)) return [key];
    const found = unstorableAt((value as Record<string, unknown>)[key]);
    if (found) return [...found, key];
  }
  return undefined;
}

/**
 * The path of the first string (or key) in a parsed body, query or params that cannot be stored.
 * Runs on every request (5,000-record batches included): no path is built unless one is found.
 */
export function findUnstorableText(value: unknown): string | undefined {
  const keys = unstorableAt(value);
  return keys === undefined ? undefined : `/${keys.reverse().join('/')}`;
}

export function registerErrorHandler(app: FastifyInstance): void {
  // Before the schema: every route's text, whatever its schema says.
  app.addHook('preValidation', async (request) => {
    for (const [where, value] of [['body', request.body], ['querystring', request.query], ['params', request.params]] as const) {
      const field = findUnstorableText(value);
      if (field) {
        throw new AppError(400, 'validation_failed', `${where}${field === '/' ? '' : field}: NUL characters and lone surrogates are not allowed / 不允许 NUL 字符或不成对的代理字符`, [
          { field: `${where}${field === '/' ? '' : field}`, message: 'contains NUL or a lone surrogate' },
        ]);
      }
    }
  });
  app.setErrorHandler((error: FastifyError & { details?: unknown }, request, reply) => {
    if (error instanceof AppError) {
      const retryAfter = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
      if (typeof retryAfter === 'number') reply.header('Retry-After', String(retryAfter));
      return reply.status(error.statusCode).send({ code: error.code, message: error.message, details: error.details });
    }
    if (error.validation) {
      const where = error.validationContext ?? 'request';
      const details = error.validation.map((issue) => ({
        field: `${where}${issue.instancePath || ''}`,
        message: issue.message ?? 'is invalid',
      }));
      return reply.status(400).send({ code: 'validation_failed', message: error.message, details });
    }
    const fromDb = fromPostgres(error as { code?: string; message: string });
    if (fromDb) {
      request.log.info({ err: error }, 'the database refused the input');
      return reply.status(fromDb.statusCode).send({ code: fromDb.code, message: fromDb.message });
    }
    if (error.statusCode === undefined && /^multipart\//i.test(request.headers['content-type'] ?? '') && multipartMessage.test(error.message)) {
      return reply.status(400).send({ code: 'bad_request', message: `Malformed multipart body: ${error.message} / 上传内容格式错误` });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      if (status === 413) {
        // The body parser's and multipart's own messages are English only.
        return reply.status(413).send({ code: 'payload_too_large', message: `${error.message} / 请求或文件过大` });
      }
      const code: ErrorCode = status === 415 ? 'unsupported_media_type' : status === 429 ? 'rate_limited' : 'bad_request';
      return reply.status(status).send({ code, message: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ code: 'internal', message: 'Internal error / 服务器内部错误' });
  });
}
