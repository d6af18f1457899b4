// Stable error codes and the one error handler: every failure leaves as { code, message }.
import type { FastifyError, FastifyInstance } from 'fastify';

export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
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

// PostgreSQL errors caused by the input (bad geometry, out-of-range values...) are client errors.
const clientSqlStates: Record<string, number> = {
  '22P02': 400, // invalid_text_representation
  '22003': 400, // numeric_value_out_of_range
  '22007': 400, // invalid_datetime_format
  '22008': 400, // datetime_field_overflow
  '22023': 400, // invalid_parameter_value (PostGIS: invalid geometry input)
  XX000: 0, // PostGIS raises internal_error for some malformed geometry; decided by message below
  '23505': 409, // unique_violation
  '23503': 400, // foreign_key_violation
  '23514': 400, // check_violation
};

function fromPostgres(error: { code?: string; message: string }): AppError | undefined {
  if (!error.code) return undefined;
  const status = clientSqlStates[error.code];
  if (status === undefined) return undefined;
  if (status === 0) {
    return /geometry|parse error|GEOS|invalid/i.test(error.message)
      ? new AppError(400, 'bad_request', `Invalid geometry: ${error.message}`)
      : undefined;
  }
  return new AppError(status, status === 409 ? 'conflict' : 'bad_request', error.message);
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError & { details?: unknown }, request, reply) => {
    if (error instanceof AppError) {
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
    if (fromDb) return reply.status(fromDb.statusCode).send({ code: fromDb.code, message: fromDb.message });
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code: ErrorCode =
        status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : status === 429 ? 'rate_limited' : 'bad_request';
      return reply.status(status).send({ code, message: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ code: 'internal', message: 'Internal error / 服务器内部错误' });
  });
}
