import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SETTINGS_GENERATED_AT_FIRST_START, getDefaultSetting, settingTypeCheck } from './default-settings.js';

const value = (id: string): unknown => {
  const s = getDefaultSetting(id);
  if (!s) throw new Error(`missing setting ${id}`);
  return s.value;
};

describe('DEFAULT_SETTINGS', () => {
  it('has no duplicate ids', () => {
    const ids = DEFAULT_SETTINGS.map((s) => s._id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('every default passes its own type check; select settings list their values', () => {
    for (const s of DEFAULT_SETTINGS) {
      expect(settingTypeCheck(s, s.value), s._id).toBe(true);
      if (s.type === 'select') expect(s.values?.length, s._id).toBeGreaterThan(0);
    }
  });

  it('has the defaults of accounts.md', () => {
    expect(getDefaultSetting('Accounts_RegistrationForm')).toMatchObject({
      type: 'select',
      value: 'Public',
      values: ['Public', 'Disabled', 'Secret URL'],
      public: true,
    });
    expect(getDefaultSetting('Accounts_RegistrationForm_SecretURL')).toMatchObject({ type: 'string', value: '', public: false });
    expect(SETTINGS_GENERATED_AT_FIRST_START).toContain('Accounts_RegistrationForm_SecretURL');
    expect(value('Accounts_AllowAnonymousRead')).toBe(false);
    expect(value('Message_MaxAllowedSize')).toBe(5000);
    const ddp: Array<[string, number, number]> = [
      ['IP', 120000, 60000],
      ['User', 1200, 60000],
      ['Connection', 600, 60000],
      ['User_By_Method', 20, 10000],
      ['Connection_By_Method', 10, 10000],
    ];
    for (const [k, requests, interval] of ddp) {
      expect(getDefaultSetting(`DDP_Rate_Limit_${k}_Enabled`)).toMatchObject({ type: 'boolean', value: true, public: false });
      expect(getDefaultSetting(`DDP_Rate_Limit_${k}_Requests_Allowed`)).toMatchObject({ type: 'int', value: requests });
      expect(getDefaultSetting(`DDP_Rate_Limit_${k}_Interval_Time`)).toMatchObject({ type: 'int', value: interval });
    }
    expect(getDefaultSetting('Rate_Limiter_Limit_RegisterUser')).toMatchObject({ type: 'int', value: 1 });
    expect(getDefaultSetting('API_Enable_Rate_Limiter_Limit_Time_Default')).toMatchObject({ type: 'int', value: 60000 });
    expect(getDefaultSetting('Accounts_LoginExpiration')).toMatchObject({ type: 'int', value: 90, public: true });
    expect(value('Accounts_Password_Policy_Enabled')).toBe(false);
  });

  it('has the defaults of model.md §10', () => {
    const expected: Record<string, unknown> = {
      Accounts_AllowAnonymousRead: false,
      Accounts_LoginExpiration: 90,
      Message_MaxAllowedSize: 5000,
      Message_AllowEditing: true,
      Message_AllowEditing_BlockEditInMinutes: 0,
      Message_AllowDeleting: true,
      Message_AllowDeleting_BlockDeleteInMinutes: 0,
      Message_KeepHistory: false,
      Message_ShowDeletedStatus: false,
      Message_ShowEditedStatus: true,
      Message_AllowDirectMessagesToYourself: true,
      Message_Read_Receipt_Enabled: false,
      DirectMesssage_maxUsers: 8,
      UTF8_Channel_Names_Validation: '[0-9a-zA-Z-_.]+',
      UTF8_User_Names_Validation: '[0-9a-zA-Z-_.]+',
      UI_Allow_room_names_with_special_chars: false,
      UI_Use_Real_Name: false,
      UI_DisplayRoles: true,
      Store_Last_Message: true,
      Hide_System_Messages: [],
      Threads_enabled: true,
      Unread_Count: 'user_and_group_mentions_only',
      Unread_Count_DM: 'all_messages',
      E2E_Enable: false,
      Message_MaxAll: 0,
      Accounts_SearchFields: 'username, name, bio, nickname',
      Message_CustomFields_Enabled: false,
    };
    for (const [id, v] of Object.entries(expected)) expect(value(id), id).toEqual(v);
    expect(getDefaultSetting('Unread_Count')?.values).toEqual([
      'all_messages',
      'user_mentions_only',
      'group_mentions_only',
      'user_and_group_mentions_only',
    ]);
    expect(getDefaultSetting('Unread_Count_DM')?.values).toEqual(['all_messages', 'mentions_only']);
    expect(getDefaultSetting('Hide_System_Messages')?.type).toBe('multiSelect');
  });

  it('uses Orbit branding and the public flags of Rocket.Chat', () => {
    expect(getDefaultSetting('Site_Name')).toMatchObject({ value: 'Orbit', public: true });
    expect(getDefaultSetting('Site_Url')?.public).toBe(true);
    for (const id of ['Message_MaxAllowedSize', 'UI_Use_Real_Name', 'Threads_enabled', 'E2E_Enable', 'OTR_Enable', 'Hide_System_Messages']) {
      expect(getDefaultSetting(id)?.public, id).toBe(true);
    }
    for (const id of ['Accounts_SearchFields', 'Message_CustomFields_Enabled', 'Rate_Limiter_Limit_RegisterUser', 'Accounts_RegistrationForm_SecretURL']) {
      expect(getDefaultSetting(id)?.public, id).toBe(false);
    }
  });
});

describe('settingTypeCheck', () => {
  it('checks booleans', () => {
    const s = { type: 'boolean' as const };
    expect(settingTypeCheck(s, true)).toBe(true);
    expect(settingTypeCheck(s, false)).toBe(true);
    expect(settingTypeCheck(s, 'true')).toBe(false);
    expect(settingTypeCheck(s, 1)).toBe(false);
    expect(settingTypeCheck(s, null)).toBe(false);
  });

  it('checks integers', () => {
    const s = { type: 'int' as const };
    expect(settingTypeCheck(s, 0)).toBe(true);
    expect(settingTypeCheck(s, -1)).toBe(true);
    expect(settingTypeCheck(s, 120000)).toBe(true);
    expect(settingTypeCheck(s, 1.5)).toBe(false);
    expect(settingTypeCheck(s, Number.NaN)).toBe(false);
    expect(settingTypeCheck(s, Number.POSITIVE_INFINITY)).toBe(false);
    expect(settingTypeCheck(s, '10')).toBe(false);
    expect(settingTypeCheck(s, undefined)).toBe(false);
  });

  it('checks strings', () => {
    const s = { type: 'string' as const };
    expect(settingTypeCheck(s, '')).toBe(true);
    expect(settingTypeCheck(s, 'x')).toBe(true);
    expect(settingTypeCheck(s, 5)).toBe(false);
    expect(settingTypeCheck(s, ['x'])).toBe(false);
  });

  it('checks selects against their values', () => {
    const s = getDefaultSetting('Accounts_RegistrationForm');
    if (!s) throw new Error('missing');
    expect(settingTypeCheck(s, 'Public')).toBe(true);
    expect(settingTypeCheck(s, 'Secret URL')).toBe(true);
    expect(settingTypeCheck(s, 'Disabled')).toBe(true);
    expect(settingTypeCheck(s, 'public')).toBe(false);
    expect(settingTypeCheck(s, '')).toBe(false);
    expect(settingTypeCheck(s, 1)).toBe(false);
    expect(settingTypeCheck({ type: 'select' }, 'anything')).toBe(true);
  });

  it('checks multiSelects', () => {
    const s = { type: 'multiSelect' as const };
    expect(settingTypeCheck(s, [])).toBe(true);
    expect(settingTypeCheck(s, ['uj', 'ul'])).toBe(true);
    expect(settingTypeCheck(s, ['uj', 1])).toBe(false);
    expect(settingTypeCheck(s, 'uj')).toBe(false);
    expect(settingTypeCheck(s, null)).toBe(false);
  });
});
