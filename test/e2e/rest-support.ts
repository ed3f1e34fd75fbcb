import { expect } from 'vitest';
import type { User } from '../../src/domain/types.js';
import type { TestServer } from '../support/test-server.js';

/** Shared helpers of the rest-* tests: plain HTTP against the real server. */

export interface Creds {
  userId: string;
  authToken: string;
}

export interface Reply {
  status: number;
  body: any;
}

/** Any request to /api/v1/<path>; `body` is sent as given when it is a string, else as JSON. */
export async function call(
  server: TestServer,
  method: string,
  path: string,
  opts: { body?: unknown; query?: Record<string, string>; creds?: Creds; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const url = new URL(`http://127.0.0.1:${server.port}/api/v1/${path}`);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
  if (opts.creds) {
    headers['x-user-id'] = opts.creds.userId;
    headers['x-auth-token'] = opts.creds.authToken;
  }
  const init: RequestInit = { method, headers };
  if (opts.body !== undefined) init.body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

export const post = (server: TestServer, path: string, body: unknown, creds?: Creds) =>
  call(server, 'POST', path, { body, ...(creds ? { creds } : {}) });

export const get = (server: TestServer, path: string, query: Record<string, string>, creds?: Creds) =>
  call(server, 'GET', path, { query, ...(creds ? { creds } : {}) });

/** Logs `user` in through REST (password `${username}-pass`) and returns its headers' values. */
export async function restLogin(server: TestServer, user: User): Promise<Creds> {
  const r = await post(server, 'login', { username: user.username, password: `${user.username}-pass` });
  if (r.status !== 200) throw new Error(`REST login failed: ${r.status} ${JSON.stringify(r.body)}`);
  return { userId: r.body.data.userId, authToken: r.body.data.authToken };
}

/** A failure in Rocket.Chat's REST shape, for `toMatchObject`. */
export const failed = (errorType?: string | number) => ({
  success: false,
  error: expect.any(String),
  ...(errorType !== undefined ? { errorType } : {}),
});
