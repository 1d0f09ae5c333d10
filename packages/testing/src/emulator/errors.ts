/**
 * KnoxCall's own error answers. `ApiError` renders the canonical Shape-A envelope
 * `{error: {type, message, request_id, ...extra}}` (transport.md §5.3); `OAuthError` renders the
 * flat RFC 6749 body `{error, error_description}` used by `/oauth/token`.
 * Handlers throw them; the server turns them into responses, so a handler never has to build an
 * error body by hand and can never leak a stack trace.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly fields: Record<string, string[]> | undefined;
  readonly headers: Record<string, string>;
  readonly extra: Record<string, unknown>;

  constructor(
    status: number,
    type: string,
    message: string,
    init: { fields?: Record<string, string[]>; headers?: Record<string, string>; extra?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.type = type;
    this.fields = init.fields;
    this.headers = init.headers ?? {};
    this.extra = init.extra ?? {};
  }

  static badRequest(message: string, type = 'invalid_request'): ApiError {
    return new ApiError(400, type, message);
  }

  static unauthorized(message = 'Missing or invalid credentials', wwwAuthenticate = 'Bearer realm="knoxcall"'): ApiError {
    return new ApiError(401, 'unauthorized', message, { headers: { 'www-authenticate': wwwAuthenticate } });
  }

  static forbidden(message: string, type = 'forbidden'): ApiError {
    return new ApiError(403, type, message);
  }

  static notFound(what: string, type = 'not_found'): ApiError {
    return new ApiError(404, type, `${what} not found`);
  }

  static conflict(message: string, type = 'conflict'): ApiError {
    return new ApiError(409, type, message);
  }

  /** 422 with per-field messages, surfaced by clients as `ValidationError.fields`. */
  static validation(fields: Record<string, string[]>, message?: string): ApiError {
    const names = Object.keys(fields).join(', ');
    return new ApiError(422, 'validation_error', message ?? `Invalid or missing fields: ${names}`, { fields });
  }

  static rateLimited(retryAfterSeconds: number, message = 'Rate limit exceeded'): ApiError {
    return new ApiError(429, 'rate_limited', message, {
      headers: { 'retry-after': String(retryAfterSeconds) },
      extra: { retry_after: retryAfterSeconds },
    });
  }

  body(requestId: string): Record<string, unknown> {
    const error: Record<string, unknown> = { type: this.type, message: this.message, request_id: requestId, ...this.extra };
    const out: Record<string, unknown> = { error };
    // transport.md §5.2 reads ValidationError.fields from the body's top-level `fields`; a copy
    // inside `error` serves clients that look there instead.
    if (this.fields) {
      out['fields'] = this.fields;
      error['fields'] = this.fields;
    }
    return out;
  }
}

/** RFC 6749 §5.2 error from the token endpoint: flat `{error, error_description}`. */
export class OAuthError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, description: string, headers: Record<string, string> = {}) {
    super(description);
    this.name = 'OAuthError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }

  body(): Record<string, unknown> {
    return { error: this.code, error_description: this.message };
  }
}
