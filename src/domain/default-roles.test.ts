import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLES, EXTERNAL_PERMISSION_ROLES, ROOM_SCOPED_ROLE_IDS, isDefaultRole } from './default-roles.js';

describe('DEFAULT_ROLES', () => {
  it('has no duplicate ids and _id equals name', () => {
    const ids = DEFAULT_ROLES.map((r) => r._id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of DEFAULT_ROLES) expect(r.name).toBe(r._id);
  });

  it('contains exactly the core default roles of model.md §7.1', () => {
    expect([...DEFAULT_ROLES.map((r) => r._id)].sort()).toEqual(
      [
        'admin',
        'anonymous',
        'app',
        'bot',
        'federated-external',
        'guest',
        'leader',
        'livechat-agent',
        'livechat-manager',
        'moderator',
        'owner',
        'user',
      ].sort(),
    );
    expect(isDefaultRole('livechat-monitor')).toBe(false);
    expect(EXTERNAL_PERMISSION_ROLES).toContain('livechat-monitor');
  });

  it('creates every role protected, without mandatory 2FA', () => {
    for (const r of DEFAULT_ROLES) {
      expect(r.protected).toBe(true);
      expect(r.mandatory2fa).toBe(false);
    }
  });

  it('uses the scopes and descriptions of Rocket.Chat', () => {
    const byId = new Map(DEFAULT_ROLES.map((r) => [r._id, r]));
    expect(byId.get('admin')).toMatchObject({ scope: 'Users', description: 'Admin' });
    expect(byId.get('owner')).toMatchObject({ scope: 'Subscriptions', description: 'Owner' });
    expect(byId.get('moderator')).toMatchObject({ scope: 'Subscriptions', description: 'Moderator' });
    expect(byId.get('leader')).toMatchObject({ scope: 'Subscriptions', description: 'Leader' });
    expect(byId.get('livechat-agent')).toMatchObject({ scope: 'Users', description: 'Livechat Agent' });
    expect(byId.get('livechat-manager')).toMatchObject({ scope: 'Users', description: 'Livechat Manager' });
    for (const id of ['user', 'bot', 'app', 'guest', 'anonymous', 'federated-external']) {
      expect(byId.get(id)).toMatchObject({ scope: 'Users', description: '' });
    }
    expect([...ROOM_SCOPED_ROLE_IDS].sort()).toEqual(['leader', 'moderator', 'owner']);
  });
});
