import { z } from 'zod';

/** A document in an answer (a message, a user, a subscription …), as the services shape it. */
export const doc = z.record(z.string(), z.unknown());
/** A stored document typed for `doc`. */
export const asDoc = (v: unknown): Record<string, unknown> => v as Record<string, unknown>;
/** An id parameter (room, message, user, integration). */
export const id = z.string().min(1).max(256);
