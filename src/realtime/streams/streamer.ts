import type { DdpServer } from '../../ddp/server.js';
import { MeteorError } from '../../ddp/meteor-error.js';
import type { Hub } from '../../fanout/hub.js';
import { isPlainObject } from '../params.js';
import type { StreamDefinition } from './stream.js';

const notAllowed = () => new MeteorError('not-allowed');

/**
 * The generic streamer: for each stream a publication `stream-<name>` with params
 * `[eventName, options]` (options: boolean `useCollection` or `{useCollection, args}`), and a
 * method `stream-<name>` for client writes, which never returns a value.
 */
export function registerStreams(ddp: DdpServer, hub: Hub, streams: readonly StreamDefinition[]): void {
  for (const stream of streams) {
    const collection = `stream-${stream.name}`;
    ddp.publish(collection, async (sub, params) => {
      const [eventName, options] = params;
      if (typeof eventName !== 'string') throw new MeteorError(400, 'Match failed');
      if (eventName === '') throw new MeteorError('invalid-event-name');
      const useCollection = options === true || (isPlainObject(options) && options.useCollection === true);
      const args = isPlainObject(options) && Array.isArray(options.args) ? options.args : [];
      if ((await stream.canRead(sub, eventName, args)) !== true) throw notAllowed();
      if (sub.stopped) return;
      const unregister = (await stream.register?.(sub, eventName)) ?? hub.register(stream.name, eventName, sub);
      sub.onStop(unregister);
      if (useCollection) sub.added(collection, 'id', { eventName });
      sub.ready();
    });
    ddp.methods({
      [collection]: async (ctx, params) => {
        const [eventName, ...args] = params;
        if (typeof eventName !== 'string' || !stream.write) return undefined;
        await stream.write(ctx, eventName, args);
        return undefined;
      },
    });
  }
}
