import { z } from 'zod';
import type { MethodHandler } from '../../ddp/session.js';
import { UnauthenticatedError } from '../../domain/errors.js';
import type { Services } from '../../services/services.js';
import { check } from '../params.js';

/** Rocket.Chat's `check` of an incoming webhook: these keys typed, others allowed (and ignored). */
export const newIncomingIntegration = z.looseObject({
  type: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  username: z.string(),
  channel: z.string(),
  alias: z.string().nullish(),
  emoji: z.string().nullish(),
  avatar: z.string().nullish(),
  scriptEnabled: z.boolean(),
  scriptEngine: z.string().nullish(),
  overrideDestinationChannelEnabled: z.boolean().nullish(),
  script: z.string().nullish(),
});

const invalidUser = (method: string) => new UnauthenticatedError('invalid-user', 'Invalid User', { method });

/** addIncomingIntegration / deleteIncomingIntegration (Rocket.Chat's DDP twins of integrations.create / .remove). */
export function integrationsMethods(s: Services): Record<string, MethodHandler> {
  return {
    async addIncomingIntegration(ctx, params) {
      if (!ctx.userId) throw invalidUser('addIncomingIntegration');
      const input = check(newIncomingIntegration, params[0]);
      return s.integrations.createIncoming(ctx.userId, {
        name: input.name,
        enabled: input.enabled,
        username: input.username,
        channel: input.channel,
        scriptEnabled: input.scriptEnabled,
        ...(input.alias ? { alias: input.alias } : {}),
        ...(input.avatar ? { avatar: input.avatar } : {}),
        ...(input.emoji ? { emoji: input.emoji } : {}),
        ...(input.script ? { script: input.script } : {}),
        ...(input.scriptEngine ? { scriptEngine: input.scriptEngine } : {}),
        ...(input.overrideDestinationChannelEnabled != null ? { overrideDestinationChannelEnabled: input.overrideDestinationChannelEnabled } : {}),
      });
    },

    async deleteIncomingIntegration(ctx, params) {
      const id = check(z.string(), params[0]);
      if (!ctx.userId) throw invalidUser('deleteIncomingIntegration');
      await s.integrations.removeIncoming(ctx.userId, id);
      return true;
    },
  };
}
