import { signal } from '@preact/signals';
import { DdpError, type DdpClient } from '../ddp/ddp-client';

/** The keys Rocket.Chat's web client keeps its login in (so a reload stays signed in). */
const TOKEN_KEY = 'Meteor.loginToken';
const USER_ID_KEY = 'Meteor.userId';
const EXPIRES_KEY = 'Meteor.loginTokenExpires';
const USERNAME_KEY = 'orbit.username';

export interface Me {
  _id: string;
  username: string;
}

interface LoginResult {
  id: string;
  token: string;
  tokenExpires?: Date;
}

export interface SignUpForm {
  name: string;
  username: string;
  email: string;
  password: string;
}

async function sha256Hex(text: string): Promise<string | undefined> {
  if (!globalThis.crypto?.subtle) return undefined;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Who is signed in: login (password or resume token), sign-up, logout, and logging back in after a reconnect. */
export class Session {
  readonly me = signal<Me | null>(null);
  /** False until the stored token (if any) has been tried once. */
  readonly ready = signal(!localStorage.getItem(TOKEN_KEY));
  readonly #listeners = new Set<(me: Me | null) => void>();

  constructor(private readonly ddp: DdpClient) {
    ddp.onHandshake = () => this.#resume();
  }

  /** Runs whenever the signed-in user changes (login, logout, resume refused). */
  onChange(fn: (me: Me | null) => void): void {
    this.#listeners.add(fn);
  }

  async #resume(): Promise<void> {
    const token = localStorage.getItem(TOKEN_KEY);
    try {
      if (!token) return;
      const r = await this.ddp.callDuringHandshake<LoginResult>('login', { resume: token });
      const username = localStorage.getItem(USERNAME_KEY) ?? '';
      this.#set({ _id: r.id, username }, r);
    } catch (err) {
      // A refused token (expired, logged out elsewhere) signs out; a dropped socket retries on reconnect.
      if (err instanceof DdpError) this.#clear();
      else throw err;
    } finally {
      this.ready.value = true;
    }
  }

  async login(userOrEmail: string, password: string): Promise<void> {
    const name = userOrEmail.trim();
    const byEmail = name.includes('@');
    const user = byEmail ? { email: name } : { username: name };
    const digest = await sha256Hex(password);
    const r = await this.ddp.call<LoginResult>('login', { user, password: digest ? { digest, algorithm: 'sha-256' } : password });
    // The login answer carries no username: a username login knows it; an e-mail login learns it from the subscriptions.
    this.#set({ _id: r.id, username: byEmail ? '' : name }, r);
  }

  async register(form: SignUpForm): Promise<void> {
    await this.ddp.call('registerUser', { name: form.name, username: form.username, email: form.email, pass: form.password });
    await this.login(form.username, form.password);
  }

  async logout(): Promise<void> {
    try {
      await this.ddp.call('logout');
    } finally {
      this.#clear();
    }
  }

  /** Learns the signed-in username from data that carries it (a subscription's `u`). */
  learnUsername(username: string): void {
    const me = this.me.value;
    if (!me || me.username === username) return;
    localStorage.setItem(USERNAME_KEY, username);
    this.me.value = { ...me, username };
  }

  #set(me: Me, r: LoginResult): void {
    localStorage.setItem(TOKEN_KEY, r.token);
    localStorage.setItem(USER_ID_KEY, r.id);
    if (r.tokenExpires) localStorage.setItem(EXPIRES_KEY, r.tokenExpires.toISOString());
    if (me.username) localStorage.setItem(USERNAME_KEY, me.username);
    const prev = this.me.value;
    if (prev?._id === me._id && (prev.username === me.username || !me.username)) return;
    this.me.value = me;
    for (const fn of this.#listeners) fn(me);
  }

  #clear(): void {
    for (const key of [TOKEN_KEY, USER_ID_KEY, EXPIRES_KEY, USERNAME_KEY]) localStorage.removeItem(key);
    if (this.me.value === null) return;
    this.me.value = null;
    for (const fn of this.#listeners) fn(null);
  }
}
