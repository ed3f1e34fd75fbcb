import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcrypt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashLoginToken } from '../../src/services/passwords.js';
import { TestClient } from '../support/ddp-client.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const DAY = 86_400_000;

/** Every frame the server sent on this connection is valid JSON. */
function expectValidFrames(...clients: TestClient[]): void {
  for (const c of clients) for (const raw of c.raw) expect(() => JSON.parse(raw)).not.toThrow();
}

describe('accounts: login / logout (ddp.md §8–9)', () => {
  let server: TestServer;
  let clients: TestClient[] = [];
  const connect = async (version?: string, support?: string[]) => {
    const c = await TestClient.connect(server.url, version, support);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    expectValidFrames(...clients);
    for (const c of clients) c.close();
    await server?.stop();
  });

  describe('password login', () => {
    it('by username with a SHA-256 digest: {id, token, tokenExpires {$date}, type: "password"}', async () => {
      const u = await server.createUser('pw.digest');
      const c = await connect();
      const before = Date.now();
      const frame = await c.callRaw('login', [{ user: { username: 'pw.digest' }, password: { digest: sha('pw.digest-pass'), algorithm: 'sha-256' } }]);
      const r = frame.result;
      expect(Object.keys(r)).toEqual(['id', 'token', 'tokenExpires', 'type']);
      expect(r.id).toBe(u._id);
      expect(r.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(r.type).toBe('password');
      expect(r.tokenExpires).toBeInstanceOf(Date);
      expect(c.raw.find((t) => t.includes('"tokenExpires"'))).toMatch(/"tokenExpires":\{"\$date":\d+\}/);
      expect(r.tokenExpires.getTime()).toBeGreaterThanOrEqual(before + 90 * DAY);
      expect(r.tokenExpires.getTime()).toBeLessThanOrEqual(Date.now() + 90 * DAY);
      // the connection is now that user
      expect(await c.call('getUserRoles')).toBeInstanceOf(Array);
    });

    it('every selector form and a plain-text password', async () => {
      const u = await server.createUser('Pw.Forms', { email: 'Forms@Example.com' });
      const digest = { digest: sha('Pw.Forms-pass'), algorithm: 'sha-256' };
      const forms: unknown[] = [
        { user: { username: 'Pw.Forms' }, password: 'Pw.Forms-pass' },
        { user: { username: 'pw.forms' }, password: digest }, // case-insensitive when unique
        { user: { email: 'forms@example.COM' }, password: digest },
        { user: { id: u._id }, password: digest },
        // a plain string selector: a username, or an e-mail when it has an @ (older Meteor; the issue asks for it)
        { user: 'Pw.Forms', password: 'Pw.Forms-pass' },
        { user: 'forms@example.com', password: digest },
        // decision: an upper-case hex digest is accepted (Meteor compares it as sent and would refuse it)
        { user: { username: 'Pw.Forms' }, password: { digest: sha('Pw.Forms-pass').toUpperCase(), algorithm: 'sha-256' } },
      ];
      const c = await connect();
      for (const form of forms) {
        const r = await c.call('login', form);
        expect(r).toMatchObject({ id: u._id, type: 'password' });
        expect(r.tokenExpires).toBeInstanceOf(Date);
      }
    });

    it('wrong password and unknown user give the same 403 "User not found", without details', async () => {
      await server.createUser('pw.wrong');
      const c = await connect();
      const wrong = await c.callError('login', { user: { username: 'pw.wrong' }, password: 'nope' });
      const unknown = await c.callError('login', { user: { username: 'nobody-here' }, password: 'nope' });
      const unknownEmail = await c.callError('login', { user: { email: 'nobody@example.com' }, password: { digest: sha('x'), algorithm: 'sha-256' } });
      const expected = { isClientSafe: true, error: 403, reason: 'User not found', message: 'User not found [403]', errorType: 'Meteor.Error' };
      expect(wrong).toEqual(expected);
      expect(unknown).toEqual(expected);
      expect(unknownEmail).toEqual(expected);
    });

    it.each([
      ['no params', []],
      ['a string', ['admin']],
      ['two selector fields', [{ user: { username: 'a', email: 'a@b.c' }, password: 'x' }]],
      ['an empty selector', [{ user: {}, password: 'x' }]],
      ['an empty username', [{ user: { username: '' }, password: 'x' }]],
      ['a short digest', [{ user: { username: 'a' }, password: { digest: 'abc', algorithm: 'sha-256' } }]],
      ['another algorithm', [{ user: { username: 'a' }, password: { digest: sha('x'), algorithm: 'md5' } }]],
      ['a password over 256 characters', [{ user: { username: 'a' }, password: 'x'.repeat(257) }]],
      ['a numeric resume token', [{ resume: 42 }]],
      ['no known handler', [{ foo: 'bar' }]],
      ['an empty user string', [{ user: '', password: 'x' }]],
      ['a numeric username', [{ user: { username: 7 }, password: 'x' }]],
      ['no user', [{ password: 'x' }]],
      ['a digest with an extra key', [{ user: { username: 'a' }, password: { digest: sha('x'), algorithm: 'sha-256', salt: 'y' } }]],
      ['a digest of 65 characters', [{ user: { username: 'a' }, password: { digest: `${sha('x')}0`, algorithm: 'sha-256' } }]],
      ['a numeric password', [{ user: { username: 'a' }, password: 12345 }]],
      ['an empty password (no handler takes it)', [{ user: { username: 'a' }, password: '' }]],
      ['an empty resume token (no handler takes it)', [{ resume: '' }]],
      ['two params', [{ resume: 'x' }, {}]],
      ['a Date', [{ $date: 0 }]],
    ])('malformed request (%s) → 400', async (_name, params) => {
      const c = await connect();
      const f = await c.callRaw('login', params as unknown[]);
      expect(f.error?.error).toBe(400);
      expect(f.error?.errorType).toBe('Meteor.Error');
    });

    it('a 64-character digest that is not hex passes the type check and fails like a wrong password (403)', async () => {
      await server.createUser('pw.hexless');
      const c = await connect();
      const err = await c.callError('login', { user: { username: 'pw.hexless' }, password: { digest: 'z'.repeat(64), algorithm: 'sha-256' } });
      expect(err).toMatchObject({ error: 403 });
    });

    it('every password login issues a new token; each one resumes', async () => {
      const u = await server.createUser('pw.tokens');
      const c = await connect();
      const a = await c.login('pw.tokens', 'pw.tokens-pass');
      const b = await c.login('pw.tokens', 'pw.tokens-pass');
      expect(a.token).not.toBe(b.token);
      const other = await connect();
      for (const t of [a.token, b.token]) expect(await other.call('login', { resume: t })).toMatchObject({ id: u._id, token: t, type: 'resume' });
    });

    it('a password hash made the Meteor way (bcrypt of the hex SHA-256, cost 10) verifies', async () => {
      const u = await server.createUser('pw.meteor', { password: 'unused' });
      const meteorHash = await bcrypt.hash(sha('meteor-made'), 10);
      await server.orbit.services.store.users.setPassword(u._id, meteorHash);
      const c = await connect();
      expect((await c.call('login', { user: { username: 'pw.meteor' }, password: 'meteor-made' })).id).toBe(u._id);
    });

    it('the stored hash is bcrypt over the hex digest, never over the raw password', async () => {
      const u = await server.createUser('pw.stored', { password: 'plain-secret' });
      const stored = (await server.orbit.services.store.users.findById(u._id))!.services!.password!.bcrypt;
      expect(stored).toMatch(/^\$2[aby]\$/);
      expect(await bcrypt.compare(sha('plain-secret'), stored)).toBe(true);
      expect(await bcrypt.compare('plain-secret', stored)).toBe(false);
    });

    it('logging in again on a connection switches its identity', async () => {
      const a = await server.createUser('pw.first');
      const b = await server.createUser('pw.second');
      const c = await connect();
      expect((await c.login('pw.first', 'pw.first-pass')).id).toBe(a._id);
      expect((await c.login('pw.second', 'pw.second-pass')).id).toBe(b._id);
      expect((await server.orbit.services.store.users.findById(b._id))?.status).toBe('online');
    });
  });

  it('a login re-runs the connection\'s subscriptions under the new identity (§8.5): the old user\'s stream ends, no second ready', async () => {
    const a = await server.createUser('rr.first');
    await server.createUser('rr.second');
    const c = await connect();
    await c.login('rr.first', 'rr.first-pass');
    const mine = await c.sub('stream-notify-user', [`${a._id}/rooms-changed`, false]);
    const open = await c.sub('stream-notify-all', ['public-settings-changed', false]);
    expect(mine.ready && open.ready).toBe(true);
    const from = c.mark();
    await c.login('rr.second', 'rr.second-pass');
    const nosub = await c.waitFor((f) => f.msg === 'nosub' && f.id === mine.id, 2000, from);
    expect(nosub.error).toMatchObject({ isClientSafe: true, error: 'not-allowed', errorType: 'Meteor.Error' });
    await c.settle(100);
    expect(c.frames.slice(from).filter((f) => f.msg === 'ready' || (f.msg === 'nosub' && f.id === open.id))).toEqual([]);
  });

  describe('resume tokens', () => {
    it('resume answers the same token, type "resume", and the stored expiry', async () => {
      const u = await server.createUser('rs.ok');
      const c1 = await connect();
      const first = await c1.login('rs.ok', 'rs.ok-pass');
      const c2 = await connect('pre2', ['pre2']);
      const r = await c2.call('login', { resume: first.token });
      expect(r).toEqual({ id: u._id, token: first.token, tokenExpires: (first as any).tokenExpires, type: 'resume' });
    });

    it('unknown token → 403 "You\'ve been logged out by the server. Please log in again."', async () => {
      const c = await connect();
      expect(await c.callError('login', { resume: 'not-a-token' })).toEqual({
        isClientSafe: true,
        error: 403,
        reason: "You've been logged out by the server. Please log in again.",
        message: "You've been logged out by the server. Please log in again. [403]",
        errorType: 'Meteor.Error',
      });
    });

    it('a token older than Accounts_LoginExpiration (90 days) → 403 "Your session has expired. Please log in again."', async () => {
      const u = await server.createUser('rs.old');
      const store = server.orbit.services.store;
      await store.users.addLoginToken(u._id, { when: new Date(Date.now() - 91 * DAY), hashedToken: hashLoginToken('old-token') });
      await store.users.addLoginToken(u._id, { when: new Date(Date.now() - 89 * DAY), hashedToken: hashLoginToken('young-token') });
      const c = await connect();
      const err = await c.callError('login', { resume: 'old-token' });
      expect(err).toMatchObject({ error: 403, reason: 'Your session has expired. Please log in again.' });
      const ok = await c.call('login', { resume: 'young-token' });
      expect(ok.tokenExpires.getTime() - Date.now()).toBeGreaterThan(0.9 * DAY);
      expect(ok.tokenExpires.getTime() - Date.now()).toBeLessThan(1.1 * DAY);
    });

    it('the lifetime follows the Accounts_LoginExpiration setting', async () => {
      await server.createUser('rs.setting');
      const c = await connect();
      const first = await c.login('rs.setting', 'rs.setting-pass');
      await server.orbit.services.settings.set('Accounts_LoginExpiration', 1);
      try {
        const r = await c.call('login', { resume: first.token });
        expect(Math.abs(r.tokenExpires.getTime() - (Date.now() + DAY))).toBeLessThan(60_000);
      } finally {
        await server.orbit.services.settings.set('Accounts_LoginExpiration', 90);
      }
    });

    it('tokens are stored only as hashes: the raw token is not in the database files', async () => {
      await server.createUser('rs.hashed');
      const c = await connect();
      const { token } = await c.login('rs.hashed', 'rs.hashed-pass');
      const files = ['orbit.db', 'orbit.db-wal'].map((f) => join(server.dataDir, f)).filter((f) => existsSync(f));
      const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
      expect(bytes.includes(hashLoginToken(token))).toBe(true); // the search works…
      expect(bytes.includes(token)).toBe(false); // …and finds no raw token
    });
  });

  describe('deactivated users (error-user-is-not-activated)', () => {
    it('cannot log in with the right password, nor resume; a wrong password still says "User not found"', async () => {
      const u = await server.createUser('inactive.one');
      const c = await connect();
      const { token } = await c.login('inactive.one', 'inactive.one-pass');
      await server.orbit.services.users.setActive(u._id, false);
      const c2 = await connect();
      const expected = {
        isClientSafe: true,
        error: 'error-user-is-not-activated',
        reason: 'User is not activated',
        details: { function: 'Accounts.validateLoginAttempt' },
        message: 'User is not activated [error-user-is-not-activated]',
        errorType: 'Meteor.Error',
      };
      expect(await c2.callError('login', { user: { username: 'inactive.one' }, password: 'inactive.one-pass' })).toEqual(expected);
      expect(await c2.callError('login', { resume: token })).toEqual(expected);
      expect((await c2.callError('login', { user: { username: 'inactive.one' }, password: 'wrong' })).reason).toBe('User not found');
    });
  });

  describe('logout', () => {
    it('ends the connection\'s login: the token can no longer be resumed anywhere', async () => {
      await server.createUser('lo.user');
      const c = await connect();
      const { token } = await c.login('lo.user', 'lo.user-pass');
      const f = await c.callRaw('logout', []);
      expect(f).toEqual({ msg: 'result', id: f.id });
      expect(c.raw).toContain(`{"msg":"updated","methods":["${f.id}"]}`);
      expect((await c.callError('getUserRoles')).error).toBe('error-invalid-user');
      const other = await connect();
      expect((await other.callError('login', { resume: token })).reason).toBe("You've been logged out by the server. Please log in again.");
      expect((await c.callError('login', { resume: token })).error).toBe(403);
    });

    it('only the token of this connection is forgotten', async () => {
      await server.createUser('lo.two');
      const a = await connect();
      const b = await connect();
      await a.login('lo.two', 'lo.two-pass');
      const tb = await b.login('lo.two', 'lo.two-pass');
      await a.call('logout');
      const c = await connect();
      expect((await c.call('login', { resume: tb.token })).type).toBe('resume');
    });

    it('stream subscriptions that need a user end with nosub not-allowed', async () => {
      await server.createUser('lo.streams');
      const c = await connect();
      await c.login('lo.streams', 'lo.streams-pass');
      const sub = await c.sub('stream-notify-logged', ['user-status', false]);
      expect(sub.ready).toBe(true);
      const open = await c.sub('stream-notify-all', ['public-settings-changed', false]);
      expect(open.ready).toBe(true);
      const from = c.mark();
      await c.call('logout');
      const nosub = await c.waitFor((f) => f.msg === 'nosub' && f.id === sub.id, 2000, from);
      expect(nosub.error).toMatchObject({ isClientSafe: true, error: 'not-allowed', errorType: 'Meteor.Error' });
      await c.settle(100);
      expect(c.frames.slice(from).some((f) => f.msg === 'nosub' && f.id === open.id)).toBe(false);
    });

    it('decision: other connections logged in with the same token are closed (as Meteor does)', async () => {
      await server.createUser('lo.shared');
      const a = await connect();
      const { token } = await a.login('lo.shared', 'lo.shared-pass');
      const b = await connect();
      await b.call('login', { resume: token });
      await a.call('logout');
      const closed = await b.closed();
      expect(closed.code).toBe(1008);
      expect(a.ws.readyState).toBe(a.ws.OPEN);
    });

    it('logout when not logged in succeeds with an empty result', async () => {
      const c = await connect();
      const f = await c.callRaw('logout', []);
      expect(f).toEqual({ msg: 'result', id: f.id });
    });
  });

  it('the first admin can log in with the configured password', async () => {
    const c = await connect();
    expect((await c.login(ADMIN.username, ADMIN.password)).id).toBeTruthy();
  });
});
