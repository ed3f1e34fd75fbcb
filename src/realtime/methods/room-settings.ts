import type { MethodHandler } from '../../ddp/session.js';
import { Errors } from '../../domain/errors.js';
import type { Services } from '../../services/services.js';

/** saveRoomSettings (rooms.md A.20): `[rid, setting, value]` or `[rid, {settings}]`. */
export function roomSettingsMethods(s: Services): Record<string, MethodHandler> {
  return {
    async saveRoomSettings(ctx, params) {
      // (sic) Rocket.Chat names the rename helper in this error's details.
      if (!ctx.userId) throw Errors.invalidUser({ function: 'RocketChat.saveRoomName' });
      return s.roomSettings.save(ctx.userId, params[0], params[1], params[2]);
    },
  };
}
