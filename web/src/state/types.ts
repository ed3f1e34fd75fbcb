/** The Rocket.Chat documents the page reads (model.md), as they arrive over DDP. */

export type RoomType = 'c' | 'p' | 'd' | 'l';

export interface UserRef {
  _id: string;
  username: string;
  name?: string;
}

export interface Room {
  _id: string;
  t: RoomType;
  name?: string;
  fname?: string;
  topic?: string;
  announcement?: string;
  description?: string;
  ro?: boolean;
  archived?: boolean;
  muted?: string[];
  unmuted?: string[];
  usernames?: string[];
  uids?: string[];
  usersCount?: number;
  u?: UserRef;
  default?: boolean;
  lm?: Date;
  _updatedAt?: Date;
}

export interface Subscription {
  _id: string;
  rid: string;
  t: RoomType;
  name: string;
  fname?: string;
  u: UserRef;
  open?: boolean;
  alert?: boolean;
  unread?: number;
  userMentions?: number;
  groupMentions?: number;
  f?: boolean;
  roles?: string[];
  ls?: Date;
  ts?: Date;
  archived?: boolean;
  _updatedAt?: Date;
}

/** A node of the server's `md` tree (@rocket.chat/message-parser). */
export interface MdNode {
  type: string;
  value?: unknown;
  [key: string]: unknown;
}

export interface Message {
  _id: string;
  rid: string;
  msg: string;
  ts: Date;
  u: UserRef;
  t?: string;
  md?: MdNode[];
  role?: string;
  editedAt?: Date;
  editedBy?: UserRef;
  _updatedAt?: Date;
  _hidden?: boolean;
}

export interface HistoryResult {
  messages: Message[];
  firstUnread?: Message;
  unreadNotLoaded?: number;
}

export interface Member {
  _id: string;
  username: string;
  name?: string;
  status?: string;
}

export interface RoomRoles {
  rid: string;
  u: UserRef;
  roles: string[];
}

export interface Permission {
  _id: string;
  roles: string[];
}
