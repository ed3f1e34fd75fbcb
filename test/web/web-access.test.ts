import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';
import { ARTIFACTS, launchBrowser, type TestBrowser } from './browser.js';
import { chooseMenu, log, message, openRoom, roomLink, seriousViolations, send, sidebar, signIn } from './people.js';

/** Serving the client, signing in and out, signing up, staying signed in, reconnecting after a restart. */
describe('Orbit Web: serving, sign-in, reconnect', { timeout: 60_000 }, () => {
  let server: TestServer;
  let browser: TestBrowser;
  let base: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    base = `http://127.0.0.1:${server.port}`;
    await server.createUser('alice');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('serves index.html for client routes with CSP and security headers; assets hashed, cached for a year, precompressed', async () => {
    for (const path of ['/', '/home', '/channel/general', '/group/secret', '/direct/abc']) {
      const res = await fetch(base + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const html = await (await fetch(base + '/')).text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const br = await fetch(base + script!, { headers: { 'accept-encoding': 'br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const gz = await fetch(base + script!, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    const etag = gz.headers.get('etag')!;
    expect((await fetch(base + script!, { headers: { 'accept-encoding': 'gzip', 'if-none-match': etag } })).status).toBe(304);
  });

  it('never shadows the server: /api, /hooks, /health and unknown assets keep their own answers', async () => {
    expect(await (await fetch(base + '/api/info')).json()).toMatchObject({ success: true });
    expect((await fetch(base + '/api/v1/no-such-route')).headers.get('content-type')).toMatch(/json/);
    expect((await fetch(base + '/health')).status).toBe(200);
    const hook = await fetch(base + '/hooks/abc/def');
    expect(hook.headers.get('content-type') ?? '').not.toMatch(/html/);
    expect((await fetch(base + '/assets/missing-123.js')).status).toBe(404);
    expect((await fetch(base + '/channel/general', { method: 'POST' })).headers.get('content-type') ?? '').not.toMatch(/html/);
  });

  it('signs in, refuses a wrong password with the reason (username kept), stays signed in across a reload, logs out', async () => {
    const { context, page } = await browser.person(base);
    await context.addInitScript("window.__csp = []; addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective));");
    await page.goto('/');
    await page.getByRole('textbox', { name: 'Username or email' }).fill('alice');
    await page.getByRole('textbox', { name: 'Password' }).fill('wrong');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: /incorrect password|user not found/i }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Username or email' }).inputValue()).toBe('alice');
    await page.getByRole('textbox', { name: 'Username or email' }).fill('nobody-here');
    await page.getByRole('textbox', { name: 'Password' }).fill('x');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'User not found' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'sign-in.png') });
    expect(await seriousViolations(page)).toEqual([]);

    await signIn(page, 'alice');
    await roomLink(page, 'general').waitFor();
    expect(await page.evaluate("localStorage.getItem('Meteor.loginToken')")).toBeTruthy();
    await page.reload();
    await roomLink(page, 'general').waitFor();
    await openRoom(page, 'general');
    expect(await seriousViolations(page)).toEqual([]);

    await chooseMenu(page, 'Account', 'Log out');
    await page.getByRole('button', { name: 'Log in', exact: true }).waitFor();
    expect(await page.evaluate("localStorage.getItem('Meteor.loginToken')")).toBeNull();
    await page.reload();
    await page.getByRole('button', { name: 'Log in', exact: true }).waitFor();
    expect(await page.evaluate('window.__csp')).toEqual([]);
    await context.close();
  });

  it('signs up when registration is open (and is then signed in); a taken username is refused with the reason; no link when registration is off', async () => {
    const { context, page } = await browser.person(base);
    await page.goto('/');
    await page.getByRole('button', { name: 'Create an account' }).click();
    const fill = async (name: string, username: string) => {
      await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
      await page.getByRole('textbox', { name: 'Username' }).fill(username);
      await page.getByRole('textbox', { name: 'Email' }).fill(`${username}-${Date.now()}@example.com`);
      await page.getByRole('textbox', { name: 'Password' }).fill('s3cret-pass');
      await page.getByRole('button', { name: 'Create account', exact: true }).click();
    };
    await fill('Alice Again', 'alice');
    await page.getByRole('alert').filter({ hasText: /already in use/i }).waitFor();
    await fill('Carol New', 'carol');
    await sidebar(page).waitFor();
    await roomLink(page, 'general').waitFor();
    await context.close();

    await server.orbit.services.settings.set('Accounts_RegistrationForm', 'Disabled');
    const other = await browser.person(base);
    await other.page.goto('/');
    await other.page.getByRole('button', { name: 'Log in', exact: true }).waitFor();
    expect(await other.page.getByRole('button', { name: 'Create an account' }).count()).toBe(0);
    await other.context.close();
    await server.orbit.services.settings.set('Accounts_RegistrationForm', 'Public');
  });

  it('after a server restart: shows Reconnecting, comes back by itself signed in, and live messages flow again', async () => {
    const { context, page } = await browser.person(base);
    await signIn(page, ADMIN.username, ADMIN.password);
    await openRoom(page, 'general');
    await send(page, 'before the restart');

    const { port, dataDir } = server;
    await server.orbit.stop();
    await page.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor();
    const restarted = await startTestServer({ PORT: String(port), ORBIT_DATA_DIR: dataDir });
    server = { ...restarted, stop: async () => (await restarted.stop(), rmSync(dataDir, { recursive: true, force: true })) };
    await page.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor({ state: 'detached', timeout: 15_000 });

    // Signed in again (resume), re-subscribed: a message from someone else arrives live.
    const bob = await server.createUser('bob.after');
    const general = (await server.orbit.services.store.rooms.findById('GENERAL'))!;
    await server.orbit.services.membership.addUser(general, bob, { silenced: true });
    await server.orbit.services.messages.send(bob._id, { rid: 'GENERAL', msg: 'after the restart' });
    await message(page, 'after the restart').waitFor();
    await send(page, 'and back again');
    expect(await log(page).getByRole('article').filter({ hasText: 'before the restart' }).count()).toBe(1);
    await context.close();
  });
});
