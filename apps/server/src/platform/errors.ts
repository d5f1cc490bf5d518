// One error shape for the whole API: { code, message } with a stable code.

export interface ErrorDetail {
  path: string;
  message: string;
  /** A stable code for this one problem, when the error lists several (e.g. form answers). */
  code?: string;
}

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[] | undefined;
  constructor(status: number, code: string, message: string, details?: ErrorDetail[]) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const notFound = (what = 'リソース') => new AppError(404, 'NOT_FOUND', `${what}が見つかりません`);
export const forbidden = () => new AppError(403, 'FORBIDDEN', 'この操作を行う権限がありません');
export const conflict = (code: string, message: string) => new AppError(409, code, message);
/** The database is down or failing over (C-13): the caller may try again shortly. */
export const databaseUnavailable = () =>
  new AppError(503, 'DATABASE_UNAVAILABLE', 'データベースに接続できません');
export const badRequest = (code: string, message: string, details?: ErrorDetail[]) =>
  new AppError(400, code, message, details);
