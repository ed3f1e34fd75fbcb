import type { SettingsService } from './settings-service.js';

/**
 * Settings the message pipeline reads that are not (yet) in domain/default-settings.ts, with
 * Rocket.Chat's defaults — except the desktop-notification preference (see below). A stored
 * value wins once the setting exists.
 */
const FALLBACKS: Readonly<Record<string, unknown>> = Object.freeze({
  HexColorPreview_Enabled: true,
  Message_CustomDomain_AutoLink: '',
  Katex_Enabled: true,
  Katex_Dollar_Syntax: false,
  Katex_Parenthesis_Syntax: true,
  /**
   * Rocket.Chat ships 'all' (every connected member gets a desktop notification for every message).
   * Orbit's default is 'mentions': DMs and mentions only (decision).
   */
  Accounts_Default_User_Preferences_desktopNotifications: 'mentions',
  Notifications_Max_Room_Members: 100,
  Push_show_message: true,
  Push_show_username_room: true,
  Troubleshoot_Disable_Notifications: false,
});

/** Reads a message-pipeline setting: the stored value, else the fallback above. */
export function messageSetting<T>(settings: SettingsService, id: string): T {
  return (settings.has(id) ? settings.get<T>(id) : FALLBACKS[id]) as T;
}
