import type { Setting } from '../domain/types.js';
import { settingTypeCheck } from '../domain/default-settings.js';
import { InvalidArgumentError } from '../domain/errors.js';
import type { Store } from '../store/store.js';
import type { ChatEvents } from './events.js';

export type SettingChangeListener = (id: string, value: unknown) => void;

/**
 * Runtime settings (Rocket.Chat ids and defaults), stored in the database and cached in memory.
 * Reads are synchronous; a change is stored, cached, announced and applied at once.
 */
export class SettingsService {
  readonly #cache = new Map<string, Setting>();
  readonly #listeners = new Set<SettingChangeListener>();

  constructor(
    private readonly store: Store,
    private readonly events: ChatEvents,
  ) {}

  /** Loads every stored setting into the cache. */
  async load(): Promise<void> {
    for (const s of await this.store.settings.list()) this.#cache.set(s._id, s);
  }

  has(id: string): boolean {
    return this.#cache.has(id);
  }

  definition(id: string): Setting | undefined {
    return this.#cache.get(id);
  }

  get<T = unknown>(id: string): T {
    const s = this.#cache.get(id);
    if (!s) throw new Error(`unknown setting ${id}`);
    return s.value as T;
  }

  bool(id: string): boolean {
    return this.get<boolean>(id) === true;
  }

  int(id: string): number {
    const v = this.get<unknown>(id);
    return typeof v === 'number' ? v : Number(v);
  }

  string(id: string): string {
    const v = this.get<unknown>(id);
    return typeof v === 'string' ? v : String(v ?? '');
  }

  list(): Setting[] {
    return [...this.#cache.values()];
  }

  /**
   * The settings every client may read, as `{_id, value}` (Rocket.Chat's `public-settings/get` and
   * `settings.public`); with `updatedAfter`, only those changed since.
   */
  listPublic(updatedAfter?: Date): Array<Pick<Setting, '_id' | 'value'>> {
    const out: Array<Pick<Setting, '_id' | 'value'>> = [];
    for (const s of this.#cache.values()) {
      if (s.public && (!updatedAfter || s._updatedAt > updatedAfter)) out.push({ _id: s._id, value: s.value });
    }
    return out;
  }

  onChange(listener: SettingChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Validates and stores a new value; throws InvalidArgumentError on a wrong type or unknown id. */
  async set(id: string, value: unknown): Promise<void> {
    const def = this.#cache.get(id);
    if (!def) throw new InvalidArgumentError('error-invalid-setting', `Invalid setting ${id}`, null);
    if (!settingTypeCheck(def, value)) throw new InvalidArgumentError('400', 'Match failed', null);
    const stored = await this.store.settings.setValue(id, value);
    if (!stored) throw new InvalidArgumentError('error-invalid-setting', `Invalid setting ${id}`, null);
    this.#apply(stored);
    this.events.settingChanged(id, value, stored.public);
  }

  /** Applies a change announced by another instance. */
  async refresh(id: string): Promise<void> {
    const all = await this.store.settings.list();
    const s = all.find((x) => x._id === id);
    if (s) this.#apply(s);
  }

  #apply(s: Setting): void {
    this.#cache.set(s._id, s);
    for (const l of this.#listeners) l(s._id, s.value);
  }
}
