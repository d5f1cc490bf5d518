import { AppError } from '../errors.ts';

// PostgreSQL errors that bad input can cause, as the 4xx answers they deserve (S-04). Services that
// already turn one of these into a more specific AppError keep doing so; this is the net below them.
// Anything else (a bug, the database being down) stays a 500.

interface PgError {
  code: string;
  detail?: string;
  constraint?: string;
}

/** The PostgreSQL error in `err` or its `cause` chain, if any (pg's DatabaseError has a SQLSTATE code). */
export function findPgError(err: unknown): PgError | undefined {
  for (
    let e = err, hops = 0;
    e && typeof e === 'object' && hops < 5;
    e = (e as { cause?: unknown }).cause, hops++
  ) {
    const { code, severity } = e as { code?: unknown; severity?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string') {
      return e as PgError;
    }
  }
  return undefined;
}

/** The AppError for a PostgreSQL error caused by input, or undefined when it is the server's fault. */
export function databaseErrorAsAppError(err: unknown): AppError | undefined {
  const pg = findPgError(err);
  if (!pg) return undefined;
  switch (pg.code) {
    case '23503':
      // A delete or update of a row others still point at, or a reference to a row that is not there.
      return /still referenced/.test(pg.detail ?? '')
        ? new AppError(409, 'STILL_REFERENCED', '他のデータから使われているため変更・削除できません')
        : new AppError(404, 'REFERENCE_NOT_FOUND', '指定されたデータが見つかりません');
    case '23505':
      return new AppError(409, 'ALREADY_EXISTS', '同じものがすでに登録されています');
    case '23514':
    case '23P01':
      return new AppError(400, 'INVALID_VALUE', '入力内容に誤りがあります');
    case '22P02':
      return new AppError(400, 'INVALID_ID', 'ID などの形式が正しくありません');
    case '22007':
    case '22008':
    case '22003':
    case '2201W':
    case '2201X':
      return new AppError(400, 'OUT_OF_RANGE', '値が範囲外です');
    case '22001':
      return new AppError(400, 'TOO_LONG', '入力が長すぎます');
    case '22021':
    case '22P05':
      return new AppError(400, 'INVALID_CHARACTERS', '使用できない文字が含まれています');
    case '54000':
      return new AppError(413, 'PAYLOAD_TOO_LARGE', '送信されたデータが大きすぎます');
    case '54001':
      return new AppError(400, 'TOO_COMPLEX', '送信されたデータが複雑すぎます');
    default:
      return undefined;
  }
}
