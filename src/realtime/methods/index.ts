import type { MethodHandler } from '../../ddp/session.js';
import type { Services } from '../../services/services.js';
import { accountsMethods } from './accounts.js';
import { settingsMethods } from './settings.js';

/** Every DDP method of the Rocket.Chat surface. */
export function allMethods(s: Services): Record<string, MethodHandler> {
  const groups = [accountsMethods(s), settingsMethods(s)];
  const out: Record<string, MethodHandler> = {};
  for (const g of groups) {
    for (const [name, h] of Object.entries(g)) {
      if (name in out) throw new Error(`method ${name} defined twice`);
      out[name] = h;
    }
  }
  return out;
}
