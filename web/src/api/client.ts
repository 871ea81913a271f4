import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type User = Schemas['User'];

/** An RFC 9457 problem from the API, thrown so TanStack Query sees a failure. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(detail || title);
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/** Unsafe requests repeat the session's CSRF token, which the server set as a readable cookie. */
const csrf: Middleware = {
  onRequest({ request }) {
    if (UNSAFE.has(request.method)) {
      const token = readCookie('redress_csrf');
      if (token) request.headers.set('X-CSRF-Token', token);
    }
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(csrf);

/** The same headers as the typed client, for the few calls it cannot make (uploads, downloads). */
export function csrfHeaders(): Record<string, string> {
  const token = readCookie('redress_csrf');
  return token ? { 'X-CSRF-Token': token } : {};
}

export async function problemFrom(response: Response, body?: unknown): Promise<ApiProblem> {
  let data = body as Record<string, unknown> | undefined;
  if (data === undefined) {
    try {
      data = (await response.json()) as Record<string, unknown>;
    } catch {
      data = {};
    }
  }
  return new ApiProblem(
    response.status,
    String(data?.title ?? response.statusText),
    String(data?.detail ?? ''),
    data ?? {},
  );
}

/** Unwraps an openapi-fetch result: the data, or an ApiProblem thrown. */
export async function unwrap<T>(
  result: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await result;
  if (!response.ok || error !== undefined) throw await problemFrom(response, error);
  return data as T;
}
