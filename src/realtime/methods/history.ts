import { z } from 'zod';
import type { MethodHandler } from '../../ddp/session.js';
import { Errors } from '../../domain/errors.js';
import type { HistoryRequest } from '../../services/history-service.js';
import type { Services } from '../../services/services.js';
import { asDate, check, isPlainObject } from '../params.js';

/** `ls` as clients send it: a date, or a date string. */
function lastSeen(v: unknown): Date | undefined {
  if (typeof v === 'string' && v !== '') return asDate(new Date(v));
  return asDate(v);
}

/** loadHistory (rooms.md A.13), readMessages (B.9) and unreadMessages. */
export function historyMethods(s: Services): Record<string, MethodHandler> {
  return {
    async loadHistory(ctx, params) {
      const [rid, end, limit, ls, showThreadMessages] = params;
      const req: HistoryRequest = { rid: check(z.string(), rid), showThreadMessages: showThreadMessages !== false };
      const before = asDate(end);
      if (before) req.end = before;
      if (typeof limit === 'number' && Number.isFinite(limit)) req.limit = limit;
      const seen = lastSeen(ls);
      if (seen) req.ls = seen;
      return s.history.load(ctx.userId, req);
    },

    async readMessages(ctx, params) {
      const [rid, readThreads] = params;
      check(z.string(), rid);
      if (!ctx.userId) throw Errors.invalidUser();
      // Only rid is type-checked (rooms.md B.9); readThreads counts when truthy, as on the real server.
      await s.history.markRead(ctx.userId, rid as string, Boolean(readThreads));
      return undefined;
    },

    async unreadMessages(ctx, params) {
      const [firstUnreadMessage, room] = params;
      if (!ctx.userId) throw Errors.invalidUser();
      // A room id (a non-empty string) wins over the message, as on the real server.
      if (typeof room === 'string' && room) await s.history.markUnread(ctx.userId, { roomId: room });
      else await s.history.markUnread(ctx.userId, { firstUnreadMessage: isPlainObject(firstUnreadMessage) ? firstUnreadMessage : {} });
      return undefined;
    },
  };
}
