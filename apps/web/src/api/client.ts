import type { ErrorCode, FieldIssue } from '../contracts.js';

/** An API failure with the server's stable error code, or NETWORK when no answer came back. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    readonly issues: FieldIssue[] = [],
    readonly requestId?: string,
    /** Seconds, from the Retry-After header or the message, for RATE_LIMITED. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

// The CSRF token lives only in memory: it comes with every Me (login, /api/me, the session probe
// /api/auth/session) and is lost on reload, when the session probe hands it back again. Keeping it out of storage keeps it out of reach of other tabs' scripts.
let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

let onUnauthenticated: (() => void) | undefined;
/** Called when any request (other than login and the session probe) finds the session gone. */
export function setUnauthenticatedHandler(handler: (() => void) | undefined): void {
  onUnauthenticated = handler;
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

/** "Try again in 15 minutes" / "retry after 30 seconds" → seconds. The server's message is English. */
function secondsFromMessage(message: string): number | undefined {
  const m = /(\d+)\s*(second|sec|s\b|minute|min|hour|h\b)/i.exec(message);
  if (!m?.[1] || !m[2]) return undefined;
  const n = Number(m[1]);
  const unit = m[2].toLowerCase();
  if (unit.startsWith('h')) return n * 3600;
  if (unit.startsWith('m')) return n * 60;
  return n;
}

interface RequestOptions {
  /** Don't call the unauthenticated handler on 401 (login form, session probe). */
  quiet401?: boolean;
  signal?: AbortSignal;
  /** Extra headers (the public tip status sends its secret in X-Tip-Secret, never in the address). */
  headers?: Record<string, string>;
}

export async function request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { ...options.headers, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', e instanceof Error ? e.message : String(e));
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (res.ok) return data as T;

  const err = (data as { error?: { code?: ErrorCode; message?: string; issues?: FieldIssue[]; requestId?: string } } | undefined)?.error;
  const code: ErrorCode = err?.code ?? (res.status === 401 ? 'UNAUTHENTICATED' : res.status === 403 ? 'FORBIDDEN' : res.status === 404 ? 'NOT_FOUND' : res.status === 409 ? 'CONFLICT' : res.status === 429 ? 'RATE_LIMITED' : res.status === 400 ? 'INVALID_INPUT' : 'INTERNAL');
  const message = err?.message ?? res.statusText;
  const retryHeader = Number(res.headers.get('Retry-After'));
  const retryAfter = Number.isFinite(retryHeader) && retryHeader > 0 ? retryHeader : secondsFromMessage(message);
  if (res.status === 401 && !options.quiet401) onUnauthenticated?.();
  throw new ApiError(res.status, code, message, err?.issues ?? [], err?.requestId, code === 'RATE_LIMITED' ? retryAfter : undefined);
}

/**
 * A multipart upload with progress (fetch cannot report upload progress; XMLHttpRequest can).
 * `onProgress` gets 0–1 while the body is sent; errors come back as ApiError like `request`.
 */
export function upload<T>(path: string, form: FormData, onProgress?: (fraction: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'upload failed'));
    xhr.onload = () => {
      let data: unknown = undefined;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data as T);
      const err = (data as { error?: { code?: ErrorCode; message?: string; issues?: FieldIssue[]; requestId?: string } } | undefined)?.error;
      const code: ErrorCode = err?.code ?? (xhr.status === 401 ? 'UNAUTHENTICATED' : xhr.status === 403 ? 'FORBIDDEN' : xhr.status === 404 ? 'NOT_FOUND' : xhr.status === 409 ? 'CONFLICT' : xhr.status === 429 ? 'RATE_LIMITED' : xhr.status === 413 || xhr.status === 400 ? 'INVALID_INPUT' : 'INTERNAL');
      if (xhr.status === 401) onUnauthenticated?.();
      const message = err?.message ?? xhr.statusText;
      const retryHeader = Number(xhr.getResponseHeader('Retry-After'));
      const retryAfter = Number.isFinite(retryHeader) && retryHeader > 0 ? retryHeader : secondsFromMessage(message);
      reject(new ApiError(xhr.status, code, message, err?.issues ?? [], err?.requestId, code === 'RATE_LIMITED' ? retryAfter : undefined));
    };
    xhr.send(form);
  });
}

export const api = {
  get: <T>(path: string, query: Query = {}, options?: RequestOptions) => request<T>('GET', withQuery(path, query), undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, body ?? {}, options),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PATCH', path, body, options),
};
