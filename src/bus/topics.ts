import type { Message, Room } from '../domain/types.js';

/** Bus topics and their payloads. Build topic names only here. */
export const Topics = {
  /** An event for one stream (`room-messages`, `notify-user`, …): delivered to its eventName's subscribers. */
  stream: (stream: string) => `orbit.stream.${stream}`,
  roomChanged: 'orbit.room-changed',
  roomMessage: 'orbit.room-message',
  membership: 'orbit.membership',
  settingChanged: 'orbit.setting-changed',
  permissionChanged: 'orbit.permission-changed',
  userChanged: 'orbit.user-changed',
} as const;

export interface StreamEventPayload {
  eventName: string;
  args: unknown[];
  /** The DDP session that wrote the event, which must not receive it back. */
  exceptSession?: string;
}

export interface RoomChangedPayload {
  action: 'inserted' | 'updated' | 'removed';
  room: Room | { _id: string };
}

export interface RoomMessagePayload {
  message: Message;
  room: { _id: string; t: Room['t']; name?: string };
}

export interface MembershipPayload {
  action: 'added' | 'removed';
  userId: string;
  rid: string;
  roomType: Room['t'];
  /** The room as published, on 'added' (the member's rooms-changed stream receives it). */
  room?: Room;
}

export interface SettingChangedPayload {
  id: string;
  value: unknown;
}

export interface PermissionChangedPayload {
  id: string;
  roles: string[];
}

export interface UserChangedPayload {
  userId: string;
  /** Set when the user's sessions must end (deactivated, deleted, tokens revoked). */
  logout?: boolean;
}
