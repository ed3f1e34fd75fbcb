import { signal } from '@preact/signals';
import type { DdpClient, Subscription as StreamSub } from '../ddp/ddp-client';
import type { Permission } from './types';

interface PrivilegedUser {
  _id: string;
  roles: string[];
}

/**
 * What the signed-in person may do: the permission → roles table (`permissions/get`, live through
 * `permissions-changed`) and their global roles; room roles come from the subscription.
 * The server decides in the end: this only chooses which controls to offer.
 */
export class Permissions {
  readonly table = signal<ReadonlyMap<string, ReadonlySet<string>>>(new Map());
  readonly globalRoles = signal<readonly string[]>([]);
  #live: StreamSub[] = [];

  constructor(private readonly ddp: DdpClient) {}

  async load(userId: string): Promise<void> {
    this.stop();
    this.#live.push(
      this.ddp.stream('stream-notify-logged', 'permissions-changed', ([action, p]) => {
        const perm = p as Permission | undefined;
        if (!perm?._id) return;
        const next = new Map(this.table.value);
        if (action === 'removed') next.delete(perm._id);
        else next.set(perm._id, new Set(perm.roles));
        this.table.value = next;
      }),
      this.ddp.stream('stream-notify-logged', 'roles-change', () => void this.#loadRoles(userId)),
    );
    const list = await this.ddp.call<Permission[]>('permissions/get');
    this.table.value = new Map(list.map((p) => [p._id, new Set(p.roles)]));
    await this.#loadRoles(userId);
  }

  /** Global roles: every account holds `user`; the privileged roles are public (`getUserRoles`). */
  async #loadRoles(userId: string): Promise<void> {
    const privileged = await this.ddp.call<PrivilegedUser[]>('getUserRoles');
    this.globalRoles.value = ['user', ...(privileged.find((u) => u._id === userId)?.roles ?? [])];
  }

  stop(): void {
    for (const s of this.#live.splice(0)) s.stop();
  }

  /** True when the global roles or the given room roles hold the permission. */
  has(permission: string, roomRoles: readonly string[] = []): boolean {
    const allowed = this.table.value.get(permission);
    if (!allowed) return false;
    for (const r of this.globalRoles.value) if (allowed.has(r)) return true;
    for (const r of roomRoles) if (allowed.has(r)) return true;
    return false;
  }
}
