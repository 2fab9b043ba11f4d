/**
 * Typed errors shared by every capability. Each carries a stable `code`, the HTTP status the
 * server answers with, and a message a person can act on (what failed and what to do next).
 */
export type ErrorCode =
  | "INVALID_INPUT"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "UNPROCESSABLE"
  | "SQL_REFUSED"
  | "SQL_ERROR"
  | "SQL_TIMEOUT"
  | "ANSWER_TIMEOUT"
  | "NOT_SQLITE"
  | "NO_MODEL"
  | "MODEL_TOO_LARGE"
  | "MODEL_INVALID"
  | "DOWNLOAD_FAILED"
  | "INTEGRITY_FAILED"
  | "DISK_FULL"
  | "NETWORK"
  | "BACKEND_UNAVAILABLE"
  | "REMOTE_NOT_ALLOWED"
  | "BUSY"
  | "CANCELLED"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "INTERNAL";

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNPROCESSABLE: 422,
  SQL_REFUSED: 422,
  SQL_ERROR: 422,
  SQL_TIMEOUT: 422,
  ANSWER_TIMEOUT: 504,
  NOT_SQLITE: 422,
  NO_MODEL: 503,
  MODEL_TOO_LARGE: 422,
  MODEL_INVALID: 422,
  DOWNLOAD_FAILED: 502,
  INTEGRITY_FAILED: 422,
  DISK_FULL: 507,
  NETWORK: 502,
  BACKEND_UNAVAILABLE: 503,
  REMOTE_NOT_ALLOWED: 403,
  BUSY: 503,
  CANCELLED: 499,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  INTERNAL: 500,
};

export interface AskDbErrorOptions {
  /** What the person can do about it, e.g. "run `askdb models pull qwen2.5-coder-1.5b`". */
  hint?: string;
  /** Seconds after which a retry may succeed (BUSY). */
  retryAfterSeconds?: number;
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class AskDbError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly retryAfterSeconds?: number;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: AskDbErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AskDbError";
    this.code = code;
    this.hint = options.hint;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details;
  }

  get status(): number {
    return STATUS_BY_CODE[this.code];
  }

  /** The `{error: {...}}` body the HTTP API and `--json` CLI output share. */
  toJSON(): {
    error: { code: ErrorCode; message: string; hint?: string; details?: Record<string, unknown> };
  } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.hint ? { hint: this.hint } : {}),
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

export function isAskDbError(value: unknown): value is AskDbError {
  return value instanceof AskDbError;
}

/** Wraps anything thrown into an AskDbError, keeping typed errors as they are. */
export function toAskDbError(value: unknown): AskDbError {
  if (value instanceof AskDbError) return value;
  if (value instanceof Error && value.name === "AbortError") {
    return new AskDbError("CANCELLED", "the operation was cancelled", { cause: value });
  }
  const message = value instanceof Error ? value.message : String(value);
  return new AskDbError("INTERNAL", message, { cause: value });
}

/** The message with its hint, as a person reads it in a terminal. */
export function describeError(error: AskDbError): string {
  return error.hint ? `${error.message}\n  ${error.hint}` : error.message;
}
