import { z } from 'zod';
import { MeteorError } from '../../ddp/meteor-error.js';
import type { MethodContext, MethodHandler } from '../../ddp/session.js';
import type { Services } from '../../services/services.js';
import { settingTypeCheck } from '../../domain/default-settings.js';
import { check, maybeDate } from '../params.js';

const change = z.object({ _id: z.string(), value: z.unknown() });

/** public-settings/get for everyone; saveSettings / saveSetting (accounts.md): admins change settings at runtime. */
export function settingsMethods(s: Services): Record<string, MethodHandler> {
  async function save(ctx: MethodContext, changes: Array<{ _id: string; value: unknown }>): Promise<true> {
    const settingIds = changes.map((c) => c._id);
    const user = ctx.userId ? await s.store.users.findById(ctx.userId) : undefined;
    if (!user || !(await s.permissions.hasPermission(user, 'edit-privileged-setting'))) {
      throw new MeteorError('error-action-not-allowed', 'Editing settings is not allowed', { method: ctx.method, settingIds });
    }
    for (const c of changes) {
      const def = s.settings.definition(c._id);
      if (!def) throw new MeteorError('error-invalid-setting', 'Invalid setting', { method: ctx.method, settingId: c._id });
      if (!settingTypeCheck(def, c.value)) throw new MeteorError(400, 'Match failed');
    }
    for (const c of changes) await s.settings.set(c._id, c.value);
    return true;
  }

  return {
    'public-settings/get'(_ctx, params) {
      const since = maybeDate(params[0]);
      const records = s.settings.listPublic(since);
      // Settings are never deleted: the trash part of the delta is always empty.
      return since ? { update: records, remove: [] } : records;
    },
    saveSettings: (ctx, params) => save(ctx, check(z.array(change), params[0]) as Array<{ _id: string; value: unknown }>),
    saveSetting: (ctx, params) => save(ctx, [{ _id: check(z.string(), params[0]), value: params[1] }]),
  };
}
