import type { MethodContext } from '../../ddp/session.js';
import type { Subscription } from '../../ddp/subscription.js';

/** One Rocket.Chat stream: its name and its rules (streams.md §2–§5). */
export interface StreamDefinition {
  /** Internal name; the DDP publication, method and collection are `stream-<name>`. */
  readonly name: string;
  /** The read rule for a subscription to `eventName`. */
  canRead(sub: Subscription, eventName: string, args: unknown[]): Promise<boolean>;
  /** A registration other than by event name (rooms-changed, `__my_messages__`); undefined = the default. */
  register?(sub: Subscription, eventName: string): Promise<(() => void) | undefined>;
  /** Handles a client write (`stream-<name>` method); absent = writes are ignored. */
  write?(ctx: MethodContext, eventName: string, args: unknown[]): Promise<void>;
}
