/**
 * Default settings: every setting the spec names (accounts.md, model.md §10, ddp.md §6.4,
 * rooms.md, streams.md), with Rocket.Chat's ids, types, defaults and `public` flags
 * (`apps/meteor/server/settings/*.ts`). `public: true` settings are the ones Rocket.Chat sends to
 * every client (`public-settings/get`, `public-settings-changed`).
 *
 * Deliberate differences from Rocket.Chat:
 * - `Site_Name` is `'Orbit'` (Rocket.Chat: `'Rocket.Chat'`).
 * - `Site_Url` defaults to `ROOT_URL` in Rocket.Chat; here a fixed `'http://localhost:3000'`
 *   that the bootstrap may overwrite from the deployment's configuration.
 * - `Accounts_RegistrationForm_SecretURL` is random in Rocket.Chat (`Random.id()` at first
 *   start). This module is pure data, so the value is `''`: the bootstrap must generate a random
 *   id when it first inserts the setting (see `SETTINGS_GENERATED_AT_FIRST_START`).
 * - Password policy: Rocket.Chat ≤ 8.0 ships it disabled with `MinLength` 7 (the values kept
 *   here); Rocket.Chat 8.1 (PR #38032) enables it by default and raises `MinLength` to 14.
 * - `Message_ShowEditedStatus` was removed from current Rocket.Chat; kept (true, public) because
 *   model.md §10 names it.
 */

export type SettingType = 'boolean' | 'int' | 'string' | 'select' | 'multiSelect';

export interface DefaultSetting {
  readonly _id: string;
  readonly type: SettingType;
  readonly value: unknown;
  readonly public: boolean;
  /** Allowed values of a `select` setting. */
  readonly values?: string[];
}

const bool = (_id: string, value: boolean, isPublic: boolean): DefaultSetting => ({ _id, type: 'boolean', value, public: isPublic });
const int = (_id: string, value: number, isPublic: boolean): DefaultSetting => ({ _id, type: 'int', value, public: isPublic });
const str = (_id: string, value: string, isPublic: boolean): DefaultSetting => ({ _id, type: 'string', value, public: isPublic });
const select = (_id: string, value: string, values: string[], isPublic: boolean): DefaultSetting => ({
  _id,
  type: 'select',
  value,
  values,
  public: isPublic,
});
const multiSelect = (_id: string, value: string[], isPublic: boolean): DefaultSetting => ({
  _id,
  type: 'multiSelect',
  value,
  public: isPublic,
});

/** Settings whose real default is generated when the setting is first stored (value `''` here). */
export const SETTINGS_GENERATED_AT_FIRST_START: readonly string[] = Object.freeze(['Accounts_RegistrationForm_SecretURL']);

export const DEFAULT_SETTINGS: ReadonlyArray<DefaultSetting> = Object.freeze([
  // General (general.ts)
  str('Site_Url', 'http://localhost:3000', true),
  str('Site_Name', 'Orbit', true),
  select('Unread_Count', 'user_and_group_mentions_only', ['all_messages', 'user_mentions_only', 'group_mentions_only', 'user_and_group_mentions_only'], true),
  select('Unread_Count_DM', 'all_messages', ['all_messages', 'mentions_only'], true),
  bool('Store_Last_Message', true, true),
  str('UTF8_User_Names_Validation', '[0-9a-zA-Z-_.]+', true),
  str('UTF8_Channel_Names_Validation', '[0-9a-zA-Z-_.]+', true),

  // Accounts (accounts.ts)
  bool('Accounts_AllowAnonymousRead', false, true),
  int('Accounts_LoginExpiration', 90, true),
  str('Accounts_SearchFields', 'username, name, bio, nickname', false),
  select('Accounts_RegistrationForm', 'Public', ['Public', 'Disabled', 'Secret URL'], true),
  str('Accounts_RegistrationForm_SecretURL', '', false),
  bool('Accounts_Password_Policy_Enabled', false, true),
  int('Accounts_Password_Policy_MinLength', 7, true),
  int('Accounts_Password_Policy_MaxLength', -1, true),
  bool('Accounts_Password_Policy_ForbidRepeatingCharacters', true, true),
  int('Accounts_Password_Policy_ForbidRepeatingCharactersCount', 3, true),
  bool('Accounts_Password_Policy_AtLeastOneLowercase', true, true),
  bool('Accounts_Password_Policy_AtLeastOneUppercase', true, true),
  bool('Accounts_Password_Policy_AtLeastOneNumber', true, true),
  bool('Accounts_Password_Policy_AtLeastOneSpecialCharacter', true, true),
  bool('Accounts_AllowUserProfileChange', true, true),
  bool('Accounts_AllowUsernameChange', true, true),
  bool('Accounts_AllowRealNameChange', true, true),
  bool('Accounts_AllowEmailChange', true, true),
  bool('Accounts_AllowPasswordChange', true, true),
  bool('Accounts_AllowUserStatusMessageChange', true, true),
  bool('Accounts_RequireNameForSignUp', true, true),
  select('Message_ErasureType', 'Delete', ['Keep', 'Delete', 'Unlink'], false),
  bool('API_Apply_permission_view-outside-room_on_users-list', false, false),

  // Message (message.ts)
  bool('Message_Read_Receipt_Enabled', false, true),
  bool('Message_AllowEditing', true, true),
  int('Message_AllowEditing_BlockEditInMinutes', 0, true),
  bool('Message_AllowDeleting', true, true),
  int('Message_AllowDeleting_BlockDeleteInMinutes', 0, true),
  bool('Message_AllowDirectMessagesToYourself', true, true),
  bool('Message_ShowEditedStatus', true, true),
  bool('Message_ShowDeletedStatus', false, true),
  bool('Message_KeepHistory', false, true),
  int('Message_MaxAll', 0, true),
  int('Message_MaxAllowedSize', 5000, true),
  multiSelect('Hide_System_Messages', [], true),
  int('DirectMesssage_maxUsers', 8, true),
  bool('Message_CustomFields_Enabled', false, false),

  // Layout (layout.ts)
  bool('UI_DisplayRoles', true, true),
  bool('UI_Use_Real_Name', false, true),
  bool('UI_Allow_room_names_with_special_chars', false, true),

  // Threads, E2E, OTR (threads.ts, e2e.ts, otr.ts)
  bool('Threads_enabled', true, true),
  bool('E2E_Enable', false, true),
  bool('OTR_Enable', true, true),

  // Message rendering and notifications (message.ts, notifications.ts, push.ts, troubleshoot.ts)
  bool('HexColorPreview_Enabled', true, true),
  str('Message_CustomDomain_AutoLink', '', true),
  bool('Katex_Enabled', true, true),
  bool('Katex_Dollar_Syntax', false, true),
  bool('Katex_Parenthesis_Syntax', true, true),
  // Rocket.Chat ships 'all' (every connected member is notified of every message); Orbit's
  // default notifies DMs, direct mentions and @all/@here only (decision).
  select('Accounts_Default_User_Preferences_desktopNotifications', 'mentions', ['all', 'mentions', 'nothing'], true),
  int('Notifications_Max_Room_Members', 100, false),
  bool('Push_show_message', true, true),
  bool('Push_show_username_room', true, true),
  bool('Troubleshoot_Disable_Notifications', false, false),

  // REST API (general.ts, section "REST API")
  int('API_Upper_Count_Limit', 100, false),
  int('API_Default_Count', 50, false),
  bool('API_Allow_Infinite_Count', true, false),
  bool('API_Enable_CORS', false, false),
  str('API_CORS_Origin', '*', false),

  // Rate Limiter (rate.ts) — none of them public
  bool('DDP_Rate_Limit_IP_Enabled', true, false),
  int('DDP_Rate_Limit_IP_Requests_Allowed', 120000, false),
  int('DDP_Rate_Limit_IP_Interval_Time', 60000, false),
  bool('DDP_Rate_Limit_User_Enabled', true, false),
  int('DDP_Rate_Limit_User_Requests_Allowed', 1200, false),
  int('DDP_Rate_Limit_User_Interval_Time', 60000, false),
  bool('DDP_Rate_Limit_Connection_Enabled', true, false),
  int('DDP_Rate_Limit_Connection_Requests_Allowed', 600, false),
  int('DDP_Rate_Limit_Connection_Interval_Time', 60000, false),
  bool('DDP_Rate_Limit_User_By_Method_Enabled', true, false),
  int('DDP_Rate_Limit_User_By_Method_Requests_Allowed', 20, false),
  int('DDP_Rate_Limit_User_By_Method_Interval_Time', 10000, false),
  bool('DDP_Rate_Limit_Connection_By_Method_Enabled', true, false),
  int('DDP_Rate_Limit_Connection_By_Method_Requests_Allowed', 10, false),
  int('DDP_Rate_Limit_Connection_By_Method_Interval_Time', 10000, false),
  bool('API_Enable_Rate_Limiter', true, false),
  int('API_Enable_Rate_Limiter_Limit_Calls_Default', 10, false),
  int('API_Enable_Rate_Limiter_Limit_Time_Default', 60000, false),
  int('Rate_Limiter_Limit_RegisterUser', 1, false),
].map((s) => Object.freeze(s)));

const BY_ID: ReadonlyMap<string, DefaultSetting> = new Map(DEFAULT_SETTINGS.map((s) => [s._id, s]));

export function getDefaultSetting(id: string): DefaultSetting | undefined {
  return BY_ID.get(id);
}

/**
 * Whether `value` has the setting's type: boolean → a boolean; int → an integer number;
 * string → a string; select → one of `values` (any string when `values` is absent);
 * multiSelect → an array of strings.
 */
export function settingTypeCheck(setting: { readonly type: SettingType; readonly values?: readonly string[] }, value: unknown): boolean {
  switch (setting.type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'int':
      return typeof value === 'number' && Number.isInteger(value);
    case 'string':
      return typeof value === 'string';
    case 'select':
      return typeof value === 'string' && (setting.values === undefined || setting.values.includes(value));
    case 'multiSelect':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    default:
      return false;
  }
}
