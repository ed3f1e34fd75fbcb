import type { ChatEvents } from './events.js';
import type { MessageParsing } from './message-parsing.js';

/**
 * English texts of the i18n keys Rocket.Chat puts in ephemeral notices (findings §1). A key
 * without an entry is shown as is, as i18next does for a missing key.
 */
const TEXTS: Readonly<Record<string, string>> = Object.freeze({
  'error-invalid-room': 'Invalid room',
  'error-not-allowed': 'Not allowed',
  'error-invalid-user': 'Invalid user',
  'error-message-size-exceeded': 'Message size exceeds Message_MaxAllowedSize',
  room_is_blocked: 'This room is blocked',
  room_is_read_only: 'This room is read only',
  You_have_been_muted: 'You have been muted and cannot speak in this room',
});

/** The English text of an i18n key (or the key itself). */
export function translate(key: string): string {
  return TEXTS[key] ?? key;
}

/**
 * Ephemeral notices: server-made messages shown to one user only, never stored
 * (`stream-notify-user` `<uid>/message`, streams.md §4.3, findings §2).
 */
export class Ephemeral {
  constructor(
    private readonly events: ChatEvents,
    private readonly parsing: MessageParsing,
  ) {}

  /** Sends `text` (already in words, or an i18n key) to the user, as if in room `rid`. */
  send(userId: string, rid: string, text: string): void {
    const now = new Date();
    const msg = translate(text);
    const payload: Record<string, unknown> = {
      groupable: false,
      u: { _id: 'rocket.cat', username: 'rocket.cat' },
      private: true,
      _id: String(now.getTime()),
      rid,
      ts: now,
      _updatedAt: now,
      msg,
    };
    const md = this.parsing.markdown(msg);
    if (md) payload.md = md;
    this.events.userEvent(userId, 'message', [payload]);
  }
}
