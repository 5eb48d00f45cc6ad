/**
 * The one HTTP client of the dashboard. The API key lives in sessionStorage (this browser
 * tab's session only). A 401 signs out with a message; a route the service does not have
 * (yet) raises NotAvailableError so that screens show a designed "not available" state.
 */
const KEY_STORAGE = 'ledgerbridge.apiKey';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: Array<{ field: string; message: string }> = [],
  ) {
    super(detail || title);
    this.name = 'ApiError';
  }
}

/** The service answered 404 for the route itself (the feature is not deployed on this service). */
export class NotAvailableError extends Error {
  constructor(readonly path: string) {
    super(`not available: ${path}`);
    this.name = 'NotAvailableError';
  }
}

export class SignedOutError extends Error {
  constructor(readonly reason: 'expired' | 'missing') {
    super(reason);
    this.name = 'SignedOutError';
  }
}

type Listener = (reason: 'expired') => void;
const signOutListeners = new Set<Listener>();

export function onSignedOut(l: Listener): () => void {
  signOutListeners.add(l);
  return () => signOutListeners.delete(l);
}

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function storeKey(key: string | null): void {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

/** Nest's answer for an unknown route, as opposed to a 404 about a resource. */
function isMissingRoute(body: unknown): boolean {
  const detail = typeof body === 'object' && body ? String((body as { detail?: unknown; message?: unknown }).detail ?? (body as { message?: unknown }).message ?? '') : '';
  return /^Cannot (GET|POST|PATCH|PUT|DELETE) /.test(detail);
}

export async function request<T>(method: string, path: string, opts: { query?: Query; body?: unknown; key?: string } = {}): Promise<T> {
  const key = opts.key ?? storedKey();
  if (!key) throw new SignedOutError('missing');
  const url = withQuery(path, opts.query);
  const res = await fetch(url, {
    method,
    headers: {
      Authorization: `Bearer ${key}`,
      Accept: 'application/json, application/problem+json',
      ...(opts.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  if (res.ok) return body as T;
  if (res.status === 401 && !opts.key) {
    storeKey(null);
    for (const l of signOutListeners) l('expired');
    throw new SignedOutError('expired');
  }
  if (res.status === 404 && isMissingRoute(body)) throw new NotAvailableError(path);
  const p = (typeof body === 'object' && body ? body : {}) as { title?: string; detail?: string; errors?: Array<{ field: string; message: string }> };
  throw new ApiError(res.status, p.title ?? res.statusText, p.detail ?? String(text).slice(0, 300), p.errors ?? []);
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown, query?: Query) => request<T>('POST', path, { body: body ?? {}, query }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  delete: <T>(path: string, body?: unknown) => request<T>('DELETE', path, { body }),
};

/** Downloads a file (PDF letter, CSV) with the key and hands it to the browser. */
export async function download(path: string, filename: string): Promise<void> {
  const key = storedKey();
  if (!key) throw new SignedOutError('missing');
  const res = await fetch(path, { headers: { Authorization: `Bearer ${key}` } });
  if (!res.ok) throw new ApiError(res.status, res.statusText, `download failed (${res.status})`);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
