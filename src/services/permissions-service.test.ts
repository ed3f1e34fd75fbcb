import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRoomSubscription } from '../domain/subscriptions.js';
import type { Room, User } from '../domain/types.js';
import { objectId } from '../lib/random.js';
import { tempServices } from '../../test/support/temp-services.js';

type Env = Awaited<ReturnType<typeof tempServices>>;

describe('PermissionsService against the default table (model.md §7)', () => {
  let env: Env;
  let admin: User, alice: User, bob: User, guest: User, bot: User;
  let pub: Room, priv: Room, dm: Room, discussion: Room, other: Room;

  async function room(t: Room['t'], extra: Partial<Room> = {}): Promise<Room> {
    const now = new Date();
    return env.store.rooms.insert({ _id: objectId(), t, name: `r-${objectId().slice(-6)}`, msgs: 0, usersCount: 0, ts: now, _updatedAt: now, ...extra });
  }
  async function join(r: Room, u: User, roles?: string[]): Promise<void> {
    await env.store.subscriptions.insert(newRoomSubscription(objectId(), r, u, roles ? { roles } : {}));
  }

  beforeAll(async () => {
    env = await tempServices();
    const make = (username: string, roles: string[]) => env.users.create({ username, password: 'x', roles }, { joinDefaultRooms: false });
    admin = await make('root', ['user', 'admin']);
    alice = await make('alice', ['user']);
    bob = await make('bob', ['user']);
    guest = await make('visitor', ['guest']);
    bot = await make('robo', ['bot']);
    pub = await room('c');
    priv = await room('p');
    dm = await room('d');
    other = await room('c');
    discussion = await room('p', { prid: priv._id });
    await join(pub, alice, ['owner']);
    await join(priv, alice, ['moderator']);
    await join(pub, guest);
    await join(priv, guest);
    await join(dm, alice);
    await join(pub, bob);
  });
  afterAll(async () => {
    await env?.close();
  });

  describe('hasPermission = global roles ∪ roles in the room', () => {
    it('a global grant applies with or without a room', async () => {
      const p = env.permissions;
      expect(await p.hasPermission(admin, 'edit-privileged-setting')).toBe(true);
      expect(await p.hasPermission(admin, 'set-owner', other._id)).toBe(true);
      expect(await p.hasPermission(bot, 'send-many-messages')).toBe(true);
    });

    it('refuses a user holding none of the roles', async () => {
      const p = env.permissions;
      expect(await p.hasPermission(alice, 'edit-privileged-setting')).toBe(false);
      expect(await p.hasPermission(alice, 'send-many-messages')).toBe(false);
      expect(await p.hasPermission(null, 'view-c-room')).toBe(false);
      expect(await p.hasPermission(alice, 'no-such-permission')).toBe(false);
    });

    it('a room role grants only in that room', async () => {
      const p = env.permissions;
      expect(await p.hasPermission(alice, 'set-owner', pub._id)).toBe(true); // owner in pub
      expect(await p.hasPermission(alice, 'set-owner')).toBe(false); // not globally
      expect(await p.hasPermission(alice, 'set-owner', other._id)).toBe(false); // not elsewhere
      expect(await p.hasPermission(alice, 'set-owner', priv._id)).toBe(false); // moderator there, not owner
      expect(await p.hasPermission(alice, 'mute-user', priv._id)).toBe(true); // moderator may mute
      expect(await p.hasPermission(bob, 'mute-user', pub._id)).toBe(false); // plain member
    });

    it('hasAll needs every permission', async () => {
      expect(await env.permissions.hasAll(alice, ['set-owner', 'mute-user'], pub._id)).toBe(true);
      expect(await env.permissions.hasAll(alice, ['set-owner', 'edit-privileged-setting'], pub._id)).toBe(false);
    });

    it('a changed grant applies at once', async () => {
      await env.permissions.setRoles('send-many-messages', ['admin', 'bot', 'app', 'user']);
      expect(await env.permissions.hasPermission(bob, 'send-many-messages')).toBe(true);
      await env.permissions.setRoles('send-many-messages', ['admin', 'bot', 'app']);
      expect(await env.permissions.hasPermission(bob, 'send-many-messages')).toBe(false);
    });
  });

  describe('canAccessRoom (§7.4)', () => {
    it('public room: anyone with view-c-room, member or not', async () => {
      expect(await env.permissions.canAccessRoom(pub, bob)).toBe(true);
      expect(await env.permissions.canAccessRoom(other, bob)).toBe(true);
      expect(await env.permissions.canAccessRoom(other, bot)).toBe(true);
    });

    it('a guest (no view-c-room, but view-joined-room) sees only the rooms it is subscribed to', async () => {
      expect(await env.permissions.canAccessRoom(other, guest)).toBe(false);
      expect(await env.permissions.canAccessRoom(pub, guest)).toBe(true);
      expect(await env.permissions.canAccessRoom(priv, guest)).toBe(true);
      expect(await env.permissions.canAccessRoom(dm, guest)).toBe(false);
    });

    it('anonymous: public rooms only with Accounts_AllowAnonymousRead', async () => {
      expect(await env.permissions.canAccessRoom(pub, null)).toBe(false);
      await env.settings.set('Accounts_AllowAnonymousRead', true);
      expect(await env.permissions.canAccessRoom(pub, null)).toBe(true);
      expect(await env.permissions.canAccessRoom(priv, null)).toBe(false);
      await env.settings.set('Accounts_AllowAnonymousRead', false);
    });

    it('private room and DM: members only', async () => {
      expect(await env.permissions.canAccessRoom(priv, alice)).toBe(true);
      expect(await env.permissions.canAccessRoom(priv, bob)).toBe(false);
      expect(await env.permissions.canAccessRoom(priv, admin)).toBe(false);
      expect(await env.permissions.canAccessRoom(dm, alice)).toBe(true);
      expect(await env.permissions.canAccessRoom(dm, bob)).toBe(false);
    });

    it('a discussion follows its parent room', async () => {
      expect(await env.permissions.canAccessRoom(discussion, alice)).toBe(true);
      expect(await env.permissions.canAccessRoom(discussion, bob)).toBe(false);
    });
  });
});
