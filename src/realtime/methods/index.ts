import type { MethodHandler } from '../../ddp/session.js';
import type { Services } from '../../services/services.js';
import { accountsMethods } from './accounts.js';
import { historyMethods } from './history.js';
import { integrationsMethods } from './integrations.js';
import { messagesMethods } from './messages.js';
import { permissionsMethods } from './permissions.js';
import { roomMembersMethods } from './room-members.js';
import { roomModerationMethods } from './room-moderation.js';
import { roomRolesMethods } from './room-roles.js';
import { roomSettingsMethods } from './room-settings.js';
import { roomsCreateMethods } from './rooms-create.js';
import { roomsDirectMethods } from './rooms-direct.js';
import { roomsLifecycleMethods } from './rooms-lifecycle.js';
import { roomsQueryMethods } from './rooms-queries.js';
import { roomsSidebarMethods } from './rooms-sidebar.js';
import { settingsMethods } from './settings.js';
import { usersAdminMethods } from './users-admin.js';

/** Every DDP method of the Rocket.Chat surface. */
export function allMethods(s: Services): Record<string, MethodHandler> {
  const groups = [
    accountsMethods(s),
    settingsMethods(s),
    permissionsMethods(s),
    roomsQueryMethods(s),
    roomsLifecycleMethods(s),
    roomsSidebarMethods(s),
    roomsCreateMethods(s),
    roomsDirectMethods(s),
    roomRolesMethods(s),
    roomModerationMethods(s),
    roomMembersMethods(s),
    roomSettingsMethods(s),
    messagesMethods(s),
    historyMethods(s),
    integrationsMethods(s),
    usersAdminMethods(s),
  ];
  const out: Record<string, MethodHandler> = {};
  for (const g of groups) {
    for (const [name, h] of Object.entries(g)) {
      if (name in out) throw new Error(`method ${name} defined twice`);
      out[name] = h;
    }
  }
  return out;
}
