import type { MethodHandler } from '../../ddp/session.js';
import type { Services } from '../../services/services.js';
import { maybeDate } from '../params.js';

/** permissions/get: every permission and the roles holding it (what clients decide their buttons by). */
export function permissionsMethods(s: Services): Record<string, MethodHandler> {
  return {
    async 'permissions/get'(_ctx, params) {
      const since = maybeDate(params[0]);
      const records = await s.permissions.list(since);
      // No permission is ever deleted, so the trash part of the delta is always empty.
      return since ? { update: records, remove: [] } : records;
    },
  };
}
