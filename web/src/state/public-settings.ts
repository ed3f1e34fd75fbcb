import { signal } from '@preact/signals';
import type { DdpClient } from '../ddp/ddp-client';

interface SettingValue {
  _id: string;
  value: unknown;
}

/** The server's public settings (`public-settings/get`), kept current by `public-settings-changed`. */
export class PublicSettings {
  readonly values = signal<ReadonlyMap<string, unknown>>(new Map());

  constructor(private readonly ddp: DdpClient) {
    ddp.stream('stream-notify-all', 'public-settings-changed', ([action, setting]) => {
      const s = setting as SettingValue | undefined;
      if (!s?._id) return;
      const next = new Map(this.values.value);
      if (action === 'removed') next.delete(s._id);
      else next.set(s._id, s.value);
      this.values.value = next;
    });
    ddp.onReconnect(() => void this.load());
  }

  async load(): Promise<void> {
    const list = await this.ddp.call<SettingValue[]>('public-settings/get');
    this.values.value = new Map(list.map((s) => [s._id, s.value]));
  }

  get(id: string): unknown {
    return this.values.value.get(id);
  }

  bool(id: string): boolean {
    return this.values.value.get(id) === true;
  }
}
