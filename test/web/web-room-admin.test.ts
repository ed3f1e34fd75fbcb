import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ARTIFACTS, launchBrowser, type TestBrowser } from './browser.js';
import { chooseMenu, headerButton, message, openRoom, roomLink, seriousViolations, signIn } from './people.js';

/** An owner running a room (settings, archive, members and their roles) while a member watches it change live. */
describe('Orbit Web: room settings and members', { timeout: 60_000 }, () => {
  let server: TestServer;
  let browser: TestBrowser;
  let owner: Page;
  let member: Page;

  const info = (page: Page): Locator => page.getByRole('complementary', { name: 'Room info' });
  const members = (page: Page): Locator => page.getByRole('complementary', { name: 'Members' });
  const row = (page: Page, username: string): Locator => members(page).getByRole('listitem', { name: username, exact: true });
  const composer = (page: Page): Locator => page.getByRole('textbox', { name: 'Message' });

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    const base = `http://127.0.0.1:${server.port}`;
    const olive = await server.createUser('olive');
    await server.createUser('mark');
    await server.createUser('carol');
    await server.orbit.services.roomCreation.createChannel(olive._id, { name: 'team-room', members: ['mark'], readOnly: false, customFields: {}, extraData: {} });
    [owner, member] = await Promise.all([browser.person(base).then((p) => p.page), browser.person(base).then((p) => p.page)]);
    await Promise.all([signIn(owner, 'olive'), signIn(member, 'mark')]);
    await Promise.all([openRoom(owner, 'team-room'), openRoom(member, 'team-room')]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('an owner edits topic, announcement, description and name; the member sees it live; a refusal shows the server’s reason', async () => {
    await headerButton(owner, 'Room info').click();
    await info(owner).getByRole('textbox', { name: 'Topic' }).fill('Quarterly plans');
    await info(owner).getByRole('textbox', { name: 'Announcement' }).fill('Meeting on Friday');
    await info(owner).getByRole('textbox', { name: 'Description' }).fill('Where the team plans');
    await info(owner).getByRole('button', { name: 'Save' }).click();
    await member.getByText('Quarterly plans', { exact: true }).waitFor();
    await member.getByText('Meeting on Friday', { exact: true }).waitFor();
    await message(member, 'changed the room topic').waitFor();

    await info(owner).getByRole('textbox', { name: 'Name' }).fill('general');
    await info(owner).getByRole('button', { name: 'Save' }).click();
    await info(owner).getByRole('alert').waitFor();
    expect(await info(owner).getByRole('alert').textContent()).toMatch(/exists|already/i);

    await info(owner).getByRole('textbox', { name: 'Name' }).fill('team-renamed');
    await info(owner).getByRole('button', { name: 'Save' }).click();
    await member.getByRole('heading', { level: 1, name: 'team-renamed' }).waitFor();
    await roomLink(member, 'team-renamed').waitFor();
    await expect.poll(() => new URL(owner.url()).pathname).toBe('/channel/team-renamed');
    expect(await seriousViolations(owner)).toEqual([]);
  });

  it('a member sees the settings but may not change them (no Save, fields read-only)', async () => {
    await headerButton(member, 'Room info').click();
    await info(member).getByRole('textbox', { name: 'Topic' }).waitFor();
    expect(await info(member).getByRole('textbox', { name: 'Topic' }).inputValue()).toBe('Quarterly plans');
    expect(await info(member).getByRole('textbox', { name: 'Topic' }).getAttribute('readonly')).not.toBeNull();
    expect(await info(member).getByRole('button', { name: 'Save' }).count()).toBe(0);
    expect(await info(member).getByRole('button', { name: 'Delete room' }).count()).toBe(0);
    await info(member).getByRole('button', { name: 'Close' }).click();
  });

  it('read-only, archived and private: the member’s composer gives way to the reason, live', async () => {
    const save = () => info(owner).getByRole('button', { name: 'Save' }).click();
    await info(owner).getByRole('checkbox', { name: 'Read-only' }).check();
    await save();
    await member.getByText(/room is read only/i).waitFor();
    expect(await composer(member).count()).toBe(0);
    expect(await composer(owner).count()).toBe(1); // owners hold post-readonly
    await info(owner).getByRole('checkbox', { name: 'Read-only' }).uncheck();
    await save();
    await composer(member).waitFor();

    await info(owner).getByRole('checkbox', { name: 'Archived' }).check();
    await save();
    await member.getByText(/room is archived/i).waitFor();
    expect(await composer(member).count()).toBe(0);
    // Unarchiving is for admins (Rocket.Chat's default): the owner is not offered it.
    await expect.poll(() => info(owner).getByRole('checkbox', { name: 'Archived' }).isDisabled()).toBe(true);
    const admin = (await server.orbit.services.store.users.findByUsername('admin'))!;
    const room = (await server.orbit.services.store.rooms.findByName('team-renamed'))!;
    await server.orbit.services.rooms.unarchive(admin._id, room._id);
    await composer(member).waitFor();

    await info(owner).getByRole('checkbox', { name: 'Private' }).check();
    await save();
    await expect.poll(() => new URL(owner.url()).pathname).toBe('/group/team-renamed');
    await expect.poll(() => new URL(member.url()).pathname).toBe('/group/team-renamed');
    await info(owner).getByRole('button', { name: 'Close' }).click();
  });

  it('every member action: add, owner, moderator, leader, mute, unmute, remove — offered only to the owner, seen live', async () => {
    await headerButton(owner, 'Members').click();
    await headerButton(member, 'Members').click();
    await row(owner, 'mark').waitFor();
    expect(await row(owner, 'olive').textContent()).toContain('Owner');
    expect(await members(member).getByRole('button', { name: 'Member actions' }).count()).toBe(0);
    expect(await members(member).getByRole('textbox', { name: 'Add member' }).count()).toBe(0);

    await members(owner).getByRole('textbox', { name: 'Add member' }).fill('carol');
    await members(owner).getByRole('button', { name: 'Add', exact: true }).click();
    await row(owner, 'carol').waitFor();
    await row(member, 'carol').waitFor();

    const act = async (item: string) => chooseMenu(row(owner, 'mark'), 'Member actions', item);
    const badge = async (page: Page, text: string, present: boolean) =>
      expect.poll(async () => ((await row(page, 'mark').textContent()) ?? '').includes(text)).toBe(present);
    await act('Set as owner');
    await badge(member, 'Owner', true);
    await act('Remove owner');
    await badge(member, 'Owner', false);
    await act('Set as moderator');
    await badge(member, 'Moderator', true);
    await act('Remove moderator');
    await badge(member, 'Moderator', false);
    await act('Set as leader');
    await badge(member, 'Leader', true);
    await act('Remove leader');
    await badge(member, 'Leader', false);
    await act('Mute');
    await badge(owner, 'Muted', true);
    await member.getByText(/you have been muted/i).waitFor();
    expect(await composer(member).count()).toBe(0);
    await act('Unmute');
    await badge(owner, 'Muted', false);
    await composer(member).waitFor();
    await owner.screenshot({ path: join(ARTIFACTS, 'members-panel.png') });
    expect(await seriousViolations(owner)).toEqual([]);

    // The server still says no where it must: the last owner cannot give up ownership.
    await chooseMenu(row(owner, 'olive'), 'Member actions', 'Remove owner');
    await members(owner).getByRole('alert').filter({ hasText: /last owner/i }).waitFor();

    await act('Remove from room');
    await row(owner, 'mark').waitFor({ state: 'detached' });
    await roomLink(member, 'team-renamed').waitFor({ state: 'detached' });
  });

  it('an owner deletes the room after confirming; it leaves everyone’s sidebar', async () => {
    const carol = await browser.person(`http://127.0.0.1:${server.port}`);
    await signIn(carol.page, 'carol');
    await roomLink(carol.page, 'team-renamed').waitFor();
    await headerButton(owner, 'Room info').click();
    await info(owner).getByRole('button', { name: 'Delete room' }).click();
    const confirm = owner.getByRole('dialog', { name: 'Delete room?' });
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await roomLink(owner, 'team-renamed').waitFor({ state: 'detached' });
    await roomLink(carol.page, 'team-renamed').waitFor({ state: 'detached' });
    await carol.context.close();
  });
});
