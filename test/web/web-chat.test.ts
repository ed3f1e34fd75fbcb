import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ARTIFACTS, launchBrowser, type TestBrowser } from './browser.js';
import { chooseMenu, headerButton, log, message, openRoom, roomLink, seriousViolations, send, sidebar, signIn } from './people.js';

/** Two people chatting: live messages, typing, unread badges, markdown, edit/delete, rooms and DMs, sidebar actions, paging. */
describe('Orbit Web: two people chatting', { timeout: 60_000 }, () => {
  let server: TestServer;
  let browser: TestBrowser;
  let alice: Page;
  let bob: Page;
  let aliceId: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    const base = `http://127.0.0.1:${server.port}`;
    aliceId = (await server.createUser('alice', { name: 'Alice Liddell' }))._id;
    await server.createUser('bob');
    [alice, bob] = await Promise.all([browser.person(base).then((p) => p.page), browser.person(base).then((p) => p.page)]);
    await Promise.all([signIn(alice, 'alice'), signIn(bob, 'bob')]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const description = async (page: Page, room: string) => {
    const id = await roomLink(page, room).getAttribute('aria-describedby');
    return id ? ((await page.locator(`#${id}`).textContent()) ?? '') : '';
  };

  it('messages arrive live both ways; unread badge and first-unread divider; typing shows both ways; opening marks read', async () => {
    await openRoom(alice, 'general');
    await send(alice, 'hello from alice');
    await expect.poll(() => description(bob, 'general')).toContain('1 unread');
    expect(await roomLink(bob, 'general').textContent()).toContain('1');

    await openRoom(bob, 'general');
    await bob.getByRole('separator', { name: 'New messages' }).waitFor();
    await expect.poll(() => description(bob, 'general')).toBe('');

    await bob.getByRole('textbox', { name: 'Message' }).pressSequentially('typing…');
    await alice.getByRole('status').filter({ hasText: 'bob is typing' }).waitFor();
    await bob.getByRole('textbox', { name: 'Message' }).fill('');
    await send(bob, 'hi alice, bob here');
    await message(alice, 'hi alice, bob here').waitFor();
    await alice.getByRole('status').filter({ hasText: 'is typing' }).waitFor({ state: 'detached' });
    await alice.getByRole('textbox', { name: 'Message' }).pressSequentially('x');
    await bob.getByRole('status').filter({ hasText: 'alice is typing' }).waitFor();
    await alice.getByRole('textbox', { name: 'Message' }).fill('');

    const article = message(bob, 'hi alice, bob here');
    expect(await article.textContent()).toContain('bob');
    // Shift+Enter is a new line, not a send.
    const box = alice.getByRole('textbox', { name: 'Message' });
    await box.fill('line one');
    await box.press('Shift+Enter');
    await box.pressSequentially('line two');
    expect(await box.inputValue()).toBe('line one\nline two');
    await box.press('Enter');
    await message(bob, 'line two').waitFor();
  });

  it('renders markdown from the md tree; an <img onerror> stays text', async () => {
    await send(alice, '*bold* _slanted_ ~struck~ `inline` https://example.com @bob #general :smile:', 'slanted');
    const rich = message(bob, 'slanted');
    await rich.waitFor();
    expect(await rich.locator('strong').textContent()).toBe('bold');
    expect(await rich.locator('em').textContent()).toBe('slanted');
    expect(await rich.locator('s').textContent()).toBe('struck');
    expect(await rich.locator('code').textContent()).toBe('inline');
    expect(await rich.getByRole('link', { name: 'https://example.com' }).getAttribute('rel')).toContain('noopener');
    expect(await rich.textContent()).toContain('@bob');
    expect(await rich.getByRole('link', { name: '#general' }).getAttribute('href')).toBe('/channel/general');
    expect(await rich.textContent()).toContain('😄');

    await send(alice, '```\nconst x = 1 < 2;\n```', 'const x = 1 < 2;');
    await bob.locator('[role=log] pre code').filter({ hasText: 'const x = 1 < 2;' }).waitFor();

    const xss = '<img src=x onerror="window.__xss=1"> and <script>window.__xss=2</script>';
    await send(alice, xss, 'onerror');
    const shown = message(bob, 'onerror');
    await shown.waitFor();
    expect(await shown.textContent()).toContain('<img src=x onerror="window.__xss=1">');
    expect(await shown.locator('img, script').count()).toBe(0);
    expect(await bob.evaluate('window.__xss')).toBeUndefined();
    await bob.screenshot({ path: join(ARTIFACTS, 'busy-room.png') });
    expect(await seriousViolations(bob)).toEqual([]);
  });

  it('edits and deletes own messages (others see it live); no actions on someone else’s message without permission', async () => {
    await send(alice, 'a typo mesage');
    await message(bob, 'a typo mesage').waitFor();
    await chooseMenu(message(alice, 'a typo mesage'), 'Message actions', 'Edit');
    const edit = alice.getByRole('textbox', { name: 'Edit message' });
    await edit.fill('a fixed message');
    await edit.press('Enter');
    await message(bob, 'a fixed message').filter({ hasText: 'edited' }).waitFor();
    await chooseMenu(message(alice, 'a fixed message'), 'Message actions', 'Delete');
    await message(bob, 'a fixed message').waitFor({ state: 'detached' });
    await message(alice, 'a fixed message').waitFor({ state: 'detached' });
    expect(await message(bob, 'hello from alice').getByRole('button', { name: 'Message actions' }).count()).toBe(0);
  });

  it('creates a channel with a member (it appears in their sidebar live), a private group, and a DM', async () => {
    await alice.getByRole('button', { name: 'Create channel', exact: true }).click();
    const dialog = alice.getByRole('dialog', { name: 'Create channel' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('project-x');
    await dialog.getByRole('textbox', { name: 'Members' }).fill('bob');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await alice.getByRole('heading', { level: 1, name: 'project-x' }).waitFor();
    expect(new URL(alice.url()).pathname).toBe('/channel/project-x');
    await roomLink(bob, 'project-x').waitFor();

    await alice.getByRole('button', { name: 'Create channel', exact: true }).click();
    await dialog.getByRole('textbox', { name: 'Name' }).fill('inner-circle');
    await dialog.getByRole('checkbox', { name: 'Private' }).check();
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await alice.getByRole('heading', { level: 1, name: 'inner-circle' }).waitFor();
    expect(new URL(alice.url()).pathname).toBe('/group/inner-circle');
    expect(await roomLink(bob, 'inner-circle').count()).toBe(0);

    // Escape closes a dialog and gives focus back to the button that opened it.
    const opener = alice.getByRole('button', { name: 'Direct message', exact: true });
    await opener.click();
    await alice.getByRole('dialog', { name: 'Direct message' }).waitFor();
    await alice.keyboard.press('Escape');
    await alice.getByRole('dialog', { name: 'Direct message' }).waitFor({ state: 'hidden' });
    expect(await opener.evaluate((el: any) => el === el.ownerDocument.activeElement)).toBe(true);

    await opener.click();
    await alice.getByRole('dialog', { name: 'Direct message' }).getByRole('textbox', { name: 'Username' }).fill('bob');
    await alice.getByRole('button', { name: 'Start', exact: true }).click();
    await alice.getByRole('heading', { level: 1, name: 'bob' }).waitFor();
    expect(new URL(alice.url()).pathname).toMatch(/^\/direct\//);
    await send(alice, 'psst, a direct message');
    await roomLink(bob, 'alice').waitFor();
    await expect.poll(() => description(bob, 'alice')).toContain('1 unread');
    await openRoom(bob, 'alice');
    await message(bob, 'psst, a direct message').waitFor();
  });

  it('favorite, hide (a link brings it back), leave; the last owner may not leave and is told why', async () => {
    await openRoom(bob, 'project-x');
    const fav = headerButton(bob, 'Favorite');
    expect(await fav.getAttribute('aria-pressed')).toBe('false');
    await fav.click();
    await expect.poll(() => fav.getAttribute('aria-pressed')).toBe('true');
    await bob.getByRole('list', { name: 'Favorites' }).getByRole('link', { name: 'project-x' }).waitFor();
    await fav.click();
    await bob.getByRole('list', { name: 'Favorites' }).waitFor({ state: 'detached' });

    await headerButton(bob, 'Hide').click();
    await roomLink(bob, 'project-x').waitFor({ state: 'detached' });
    await bob.goto('/channel/project-x');
    await roomLink(bob, 'project-x').waitFor();

    await openRoom(bob, 'project-x');
    await openRoom(alice, 'project-x');
    await headerButton(bob, 'Leave').click();
    await roomLink(bob, 'project-x').waitFor({ state: 'detached' });
    await message(alice, 'bob left').waitFor();

    await headerButton(alice, 'Leave').click();
    await alice.getByRole('alert').filter({ hasText: /last owner/i }).waitFor();
    expect(await roomLink(alice, 'project-x').count()).toBe(1);
  });

  it('pages history with scrolling up until the very first message', async () => {
    const room = await server.orbit.services.roomCreation.createChannel(aliceId, { name: 'long-history', members: ['bob'], readOnly: false, customFields: {}, extraData: {} });
    for (let i = 1; i <= 130; i++) await server.orbit.services.messages.send(aliceId, { rid: room.rid, msg: `history message ${i}` });
    await openRoom(bob, 'long-history');
    await message(bob, 'history message 130').waitFor();
    const first = log(bob).getByRole('article').filter({ hasText: /history message 1$/ });
    expect(await first.count()).toBe(0);
    const start = bob.getByText('This is the start of the room.');
    for (let i = 0; i < 20 && !(await start.isVisible()); i++) {
      await log(bob).evaluate((el: any) => (el.scrollTop = 0));
      await bob.waitForTimeout(150);
    }
    await start.waitFor();
    await first.waitFor();
    expect(await log(bob).getByRole('article').count()).toBeLessThanOrEqual(121);
    await sidebar(bob).waitFor();
  });
});
