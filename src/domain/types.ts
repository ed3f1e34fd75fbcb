/**
 * Orbit's documents, in the shape Rocket.Chat clients see on the wire (dates are Date objects;
 * the DDP codec turns them into `{$date}`). Optional fields are absent, never `undefined`-valued,
 * once stored.
 */

export type RoomType = 'c' | 'p' | 'd';
export type UserStatus = 'online' | 'away' | 'busy' | 'offline';

export interface UserRef {
  _id: string;
  username: string;
  name?: string;
}

export interface LoginToken {
  when: Date;
  hashedToken: string;
}

export interface User {
  _id: string;
  username?: string;
  name?: string;
  emails?: Array<{ address: string; verified: boolean }>;
  roles: string[];
  active: boolean;
  type: 'user' | 'bot' | 'app';
  status?: UserStatus;
  statusText?: string;
  statusConnection?: string;
  nickname?: string;
  bio?: string;
  avatarETag?: string;
  requirePasswordChange?: boolean;
  services?: {
    password?: { bcrypt: string };
    resume?: { loginTokens: LoginToken[] };
  };
  createdAt: Date;
  _updatedAt: Date;
}

export interface Room {
  _id: string;
  t: RoomType;
  name?: string;
  fname?: string;
  u?: UserRef;
  usernames?: string[];
  uids?: string[];
  msgs: number;
  usersCount: number;
  ts: Date;
  _updatedAt: Date;
  lm?: Date;
  lastMessage?: Message;
  ro?: boolean;
  archived?: boolean;
  sysMes?: string[] | boolean;
  default?: boolean;
  featured?: boolean;
  topic?: string;
  description?: string;
  announcement?: string;
  announcementDetails?: { style?: string };
  muted?: string[];
  unmuted?: string[];
  reactWhenReadOnly?: boolean;
  broadcast?: boolean;
  encrypted?: boolean;
  e2eKeyId?: string;
  joinCodeRequired?: boolean;
  joinCode?: string;
  customFields?: Record<string, unknown>;
  prid?: string;
  teamId?: string;
  teamMain?: boolean;
  favorite?: boolean;
  federated?: boolean;
  [extra: string]: unknown;
}

export interface Subscription {
  _id: string;
  rid: string;
  t: RoomType;
  name?: string;
  fname?: string;
  u: UserRef;
  ts: Date;
  ls?: Date;
  lr?: Date;
  open: boolean;
  alert: boolean;
  unread: number;
  userMentions: number;
  groupMentions: number;
  f?: boolean;
  roles?: string[];
  archived?: boolean;
  customFields?: Record<string, unknown>;
  prid?: string;
  blocked?: boolean;
  blocker?: boolean;
  desktopNotifications?: string;
  mobilePushNotifications?: string;
  emailNotifications?: string;
  disableNotifications?: boolean;
  tunread?: string[];
  _updatedAt: Date;
  [extra: string]: unknown;
}

export interface Mention {
  _id: string;
  username: string;
  name?: string;
  type?: 'user' | 'team';
}

export interface Message {
  _id: string;
  rid: string;
  msg: string;
  ts: Date;
  u: UserRef;
  _updatedAt: Date;
  t?: string;
  groupable?: boolean;
  mentions?: Mention[];
  channels?: Array<{ _id: string; name: string }>;
  urls?: Array<{ url: string; [k: string]: unknown }>;
  md?: unknown[];
  editedAt?: Date;
  editedBy?: { _id: string; username: string };
  tmid?: string;
  tshow?: boolean;
  alias?: string;
  avatar?: string;
  emoji?: string;
  attachments?: unknown[];
  reactions?: Record<string, { usernames: string[]; names?: string[] }>;
  role?: string;
  unread?: boolean;
  _hidden?: boolean;
  [extra: string]: unknown;
}

export interface Setting {
  _id: string;
  value: unknown;
  type: 'boolean' | 'int' | 'string' | 'select' | 'multiSelect';
  public: boolean;
  /** Allowed values of a `select` setting. */
  values?: string[];
  _updatedAt: Date;
}

export interface Permission {
  _id: string;
  roles: string[];
  _updatedAt: Date;
}

export interface Role {
  _id: string;
  name: string;
  scope: 'Users' | 'Subscriptions';
  description: string;
  protected: boolean;
  mandatory2fa: boolean;
}

/** An incoming webhook (Rocket.Chat's IIncomingIntegration): posts as `userId` into `channel`. */
export interface Integration {
  _id: string;
  type: 'webhook-incoming';
  name: string;
  enabled: boolean;
  /** The user it posts as. */
  username: string;
  userId: string;
  /** Its default targets, each `#room` or `@user`. */
  channel: string[];
  alias?: string;
  avatar?: string;
  emoji?: string;
  scriptEnabled: boolean;
  script?: string;
  scriptEngine?: string;
  overrideDestinationChannelEnabled: boolean;
  /** The secret in its URL (`/hooks/<_id>/<token>`). */
  token: string;
  _createdAt: Date;
  _createdBy: { _id: string; username?: string };
  _updatedAt: Date;
}

/** Removed documents as the delta calls report them. */
export interface Removed {
  _id: string;
  _deletedAt: Date;
}
