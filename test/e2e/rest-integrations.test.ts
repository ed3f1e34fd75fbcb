import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/types.js';
import { makeRoom } from '../support/fixtures.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';
import { uniq } from './messages-support.js';
import { failed, get, post, restLogin, type Creds } from './rest-support.js';

/** A POST to a webhook URL with a raw body and content type, as the senders make it. */
async function hook(server: TestServer, path: string, body: string, contentType = 'application/json') {
  const res = await fetch(`http://127.0.0.1:${server.port}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('incoming webhooks: integrations.* and /hooks/:id/:token', () => {
  let server: TestServer;
  let admin: Creds;
  let owner: User;
  let ownerCreds: Creds;
  const store = () => server.orbit.services.store;

  beforeAll(async () => {
    server = await startTestServer();
    admin = (await post(server, 'login', { user: ADMIN.username, password: ADMIN.password })).body.data;
    owner = await server.createUser(uniq('io'));
    ownerCreds = await restLogin(server, owner);
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** A webhook into a fresh channel, posting as a fresh bot user. */
  async function webhook(extra: Record<string, unknown> = {}) {
    const room = await makeRoom(server, { owner, name: uniq('ci') });
    const bot = await server.createUser(uniq('hookbot'));
    const r = await post(server, 'integrations.create', {
      type: 'webhook-incoming', name: 'CI', enabled: true, username: bot.username, channel: `#${room.name}`,
      scriptEnabled: false, emoji: ':ghost:', ...extra,
    }, admin);
    expect(r.status).toBe(200);
    const i = r.body.integration;
    return { room, bot, integration: i, path: `/hooks/${i._id}/${i.token}` };
  }
  const lastMessage = async (rid: string) => (await store().messages.listHistory(rid, {}, 1))[0]!;

  it('integrations.create answers the stored webhook; permissions and checks', async () => {
    const { bot, integration, room } = await webhook({ alias: 'Builder' });
    expect(integration).toMatchObject({
      type: 'webhook-incoming', name: 'CI', enabled: true, username: bot.username, userId: bot._id, channel: [`#${room.name}`],
      scriptEnabled: false, alias: 'Builder', emoji: ':ghost:', overrideDestinationChannelEnabled: false, _createdBy: { username: ADMIN.username },
    });
    expect(integration.token).toMatch(/^\w{48}$/);
    const base = { type: 'webhook-incoming', name: 'X', enabled: true, username: bot.username, channel: '#general', scriptEnabled: false };
    expect((await post(server, 'integrations.create', base, ownerCreds)).body).toMatchObject(failed('not_authorized'));
    expect((await post(server, 'integrations.create', { ...base, channel: 'general' }, admin)).body).toMatchObject(failed('error-invalid-channel-start-with-chars'));
    expect((await post(server, 'integrations.create', { ...base, username: 'nobody-at-all' }, admin)).body).toMatchObject(failed('error-invalid-user'));
    expect((await post(server, 'integrations.create', { ...base, script: 'class Script {}', scriptEnabled: true }, admin)).body).toMatchObject(failed('error-scripts-not-supported'));
    expect((await post(server, 'integrations.create', { ...base, extra: 1 }, admin)).body).toMatchObject(failed('invalid-params'));
    expect((await post(server, 'integrations.create', { ...base, type: 'webhook-outgoing' }, admin)).body).toMatchObject(failed('invalid-params'));
  });

  it('manage-own-incoming-integrations: only into rooms one is in, lists and removes only its own', async () => {
    const perms = server.orbit.services.permissions;
    const before = [...perms.rolesOf('manage-own-incoming-integrations')];
    await perms.setRoles('manage-own-incoming-integrations', [...before, 'user']);
    try {
      const bot = await server.createUser(uniq('ownbot'));
      const mine = await makeRoom(server, { owner });
      const foreign = await makeRoom(server, { owner: bot });
      const base = { type: 'webhook-incoming', name: 'Own', enabled: true, username: bot.username, scriptEnabled: false };
      const ok = await post(server, 'integrations.create', { ...base, channel: `#${mine.name}` }, ownerCreds);
      expect(ok.status).toBe(200);
      expect((await post(server, 'integrations.create', { ...base, channel: `#${foreign.name}` }, ownerCreds)).body).toMatchObject(failed('error-invalid-channel'));
      const { integration: adminHook } = await webhook();
      const listed = await get(server, 'integrations.list', {}, ownerCreds);
      expect(listed.body).toMatchObject({ success: true, total: 1, count: 1, items: 1, offset: 0, integrations: [{ _id: ok.body.integration._id }] });
      expect((await get(server, 'integrations.list', {}, admin)).body.total).toBeGreaterThan(1);
      expect((await post(server, 'integrations.remove', { type: 'webhook-incoming', integrationId: adminHook._id }, ownerCreds)).body).toMatchObject(failed('error-invalid-integration'));
      const removed = await post(server, 'integrations.remove', { type: 'webhook-incoming', integrationId: ok.body.integration._id }, ownerCreds);
      expect(removed.body).toMatchObject({ success: true, integration: { _id: ok.body.integration._id } });
      expect((await post(server, 'integrations.remove', { type: 'webhook-incoming', integrationId: ok.body.integration._id }, admin)).body).toEqual({ success: false, error: 'No integration found.' });
    } finally {
      await perms.setRoles('manage-own-incoming-integrations', before);
    }
    // Without any integration permission: 403 on list and remove.
    const nobody = await restLogin(server, await server.createUser(uniq('np')));
    expect((await get(server, 'integrations.list', {}, nobody)).status).toBe(403);
    expect((await post(server, 'integrations.remove', { type: 'webhook-incoming', integrationId: 'x' }, nobody)).status).toBe(403);
  });

  it('a wrong id or token gets one and the same refusal; a disabled webhook is 503; an empty body posts nothing', async () => {
    const { integration, path, room } = await webhook();
    const wrongToken = await hook(server, `/hooks/${integration._id}/${'x'.repeat(48)}`, '{"text":"x"}');
    const wrongId = await hook(server, `/hooks/nope/${integration.token}`, '{"text":"x"}');
    expect(wrongToken).toEqual({ status: 400, body: { success: false, error: 'Invalid integration id or token provided.' } });
    expect(wrongId).toEqual(wrongToken);
    expect(await hook(server, path, '{}')).toEqual({ status: 200, body: { success: true } });
    expect((await store().rooms.findById(room._id))!.msgs).toBe(0);
    const { integration: off, path: offPath } = await webhook({ enabled: false });
    expect(off.enabled).toBe(false);
    expect(await hook(server, offPath, '{"text":"x"}')).toEqual({ status: 503, body: { success: false, error: 'Service Unavailable' } });
    expect((await hook(server, path, '{"text":{"$ne":1}}')).body).toMatchObject(failed('invalid-params'));
    expect((await hook(server, path, 'payload={not json', 'application/x-www-form-urlencoded')).status).toBe(400);
    expect((await hook(server, path, '{"text":"x","channel":"#general"}')).body).toEqual({ success: false, error: 'overriding destination channel is disabled for this integration' });
    expect((await store().rooms.findById(room._id))!.msgs).toBe(0);
  });

  it("GitHub's Rocket.Chat notification action: {username, channel, icon_emoji, text, attachments[{color, fields}]}", async () => {
    const { room, bot, integration, path } = await webhook({ overrideDestinationChannelEnabled: true });
    // src/rocketchat.ts: axios.post(url, {...options, ...payload}) — JSON.
    const body = {
      username: 'github', channel: `#${room.name}`, icon_emoji: ':rocket:', text: 'build Succeeded',
      attachments: [{
        color: '#2cbe4e',
        fields: [
          { short: true, title: 'ref', value: 'refs/heads/main' },
          { short: true, title: 'event name', value: 'push' },
          { short: true, title: 'workflow', value: '[CI](https://github.com/o/r/commit/abc/checks)' },
          { short: false, title: 'repository', value: '[o/r](https://github.com/o/r)' },
        ],
      }],
    };
    expect(await hook(server, path, JSON.stringify(body))).toEqual({ status: 200, body: { success: true } });
    const m = await lastMessage(room._id);
    expect(m).toMatchObject({ msg: 'build Succeeded', alias: 'github', emoji: ':rocket:', u: { _id: bot._id }, bot: { i: integration._id }, groupable: false });
    expect(m.attachments).toEqual(body.attachments);
    expect(m).not.toHaveProperty('urls');
  });

  it("Ansible's community.general.rocketchat (form-encoded payload=, icon_url, link_names, color, attachments with fallback)", async () => {
    const { room, path, bot } = await webhook({ overrideDestinationChannelEnabled: true });
    // build_payload_for_rocketchat: module.jsonify(payload), then "payload=" + json, posted as a form (is_pre740).
    const json = JSON.stringify({ channel: `#${room.name}`, username: 'Ansible', icon_url: 'https://docs.ansible.com/favicon.ico', link_names: 1, attachments: [{ text: 'host1 completed', color: 'good' }, { text: 'Display my system load', color: '#ff00dd', title: 'System load', fields: [{ title: 'System A', value: 'load average: 0,74', short: true }], fallback: 'Display my system load' }] }).replace(/,"/g, ', "').replace(/":/g, '": ');
    expect(await hook(server, path, `payload=${json}`, 'application/x-www-form-urlencoded')).toEqual({ status: 200, body: { success: true } });
    const m = await lastMessage(room._id);
    expect(m).toMatchObject({ msg: '', alias: 'Ansible', avatar: 'https://docs.ansible.com/favicon.ico', u: { _id: bot._id } });
    expect(m.attachments).toEqual([
      { text: 'host1 completed', color: 'good' },
      { text: 'Display my system load', color: '#ff00dd', title: 'System load', fields: [{ title: 'System A', value: 'load average: 0,74', short: true }], fallback: 'Display my system load' },
    ]);
    // Without a channel the webhook's own is used; a plain message.
    expect((await hook(server, path, `payload=${JSON.stringify({ text: 'web01 rebooted', username: 'Ansible', icon_url: 'https://docs.ansible.com/favicon.ico', link_names: 1 })}`, 'application/x-www-form-urlencoded')).status).toBe(200);
    expect((await lastMessage(room._id)).msg).toBe('web01 rebooted');
  });

  it("Jenkins' rocketchatnotifier (webhook mode): JSON {channel, text, emoji} to the hook, success checked", async () => {
    const { room, path } = await webhook({ overrideDestinationChannelEnabled: true });
    // RocketChatClientImpl.sendSingleMessage: a HashMap of channel ("#" added), text, emoji|avatar, attachments.
    const body = `{"channel":"#${room.name}","emoji":":jenkins:","text":"job-x - #12 Success after 1 min 2 sec (<https://ci/job/x/12/|Open>)"}`;
    expect(await hook(server, path, body)).toEqual({ status: 200, body: { success: true } });
    expect(await lastMessage(room._id)).toMatchObject({ msg: 'job-x - #12 Success after 1 min 2 sec (<https://ci/job/x/12/|Open>)', emoji: ':jenkins:' });
    // Its connection test sends no channel: the webhook's channel.
    expect((await hook(server, path, '{"text":"Test message from Jenkins via Webhook"}')).status).toBe(200);
  });

  it("Grafana's Slack contact point pointed at the hook: {channel, username, icon_emoji, attachments[{title, title_link, text, fallback, footer, footer_icon, color, ts}]}", async () => {
    const { room, path } = await webhook({ overrideDestinationChannelEnabled: true });
    const attachment = {
      title: '[FIRING:1]  (val1)', title_link: 'http://localhost/alerting/list',
      text: '**Firing**\n\nValue: [no value]\nLabels:\n - alertname = alert1\n', fallback: '[FIRING:1]  (val1)',
      footer: 'Grafana v11.0.0', footer_icon: 'https://grafana.com/static/assets/img/fav32.png', color: '#D63232', ts: 1733455200,
    };
    const body = JSON.stringify({ channel: `#${room.name}`, username: 'Grafana', icon_emoji: ':emoji:', attachments: [attachment] });
    expect(await hook(server, path, body)).toEqual({ status: 200, body: { success: true } });
    const m = await lastMessage(room._id);
    expect(m).toMatchObject({ alias: 'Grafana', emoji: ':emoji:', msg: '' });
    expect(m.attachments).toEqual([attachment]);
  });
});
