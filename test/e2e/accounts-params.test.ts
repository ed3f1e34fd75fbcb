import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, type Frame } from '../support/ddp-client.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Hostile params for the accounts/settings methods (ddp.md §6.3, accounts.md): wrong types
 * everywhere, prototype keys, deep nesting, huge values. Every call gets a Meteor error that is
 * not a 500 (or a plain result), nothing is polluted and nobody gets logged in.
 */
const METHODS = ['login', 'registerUser', 'getUserRoles', 'saveSettings', 'saveSetting', 'getRoomIdByNameOrId', 'logout'];

const HOSTILE_PARAMS: string[] = [
  '[]',
  '[null]',
  '[7]',
  '[true]',
  '[-0.5]',
  '["x"]',
  '[[]]',
  '[{}]',
  '[{"$date":0}]',
  '[{"$binary":"AAEC"}]',
  '[{"$InfNaN":-1}]',
  '[{"__proto__":{"isAdmin":true,"resume":"x","user":{"username":"admin"},"password":"admin-pass","email":"p@x.io","pass":"p","name":"n"}}]',
  '[{"$escape":{"__proto__":{"resume":"x"}}}]',
  '[{"user":{"__proto__":{"username":"admin"}},"password":"admin-pass"}]',
  '[{"user":{"$escape":{"__proto__":{"username":"admin"}}},"password":"admin-pass"}]',
  '[{"constructor":{"prototype":{"isAdmin":true}}}]',
  '[{"user":{"username":7},"password":{"digest":7,"algorithm":7},"resume":7,"email":7,"pass":7,"name":7,"username":7,"_id":7,"value":7}]',
  '[{"user":{"username":"admin"},"password":{"digest":["x"],"algorithm":"sha-256"}}]',
  '[{"email":["a@b.io"],"pass":{"length":3},"name":null}]',
  '[{"email":"a@b.io","pass":"p","name":"n","username":{"$date":1}}]',
  '[[{"_id":7,"value":1}]]',
  '[[{"_id":"__proto__","value":1}]]',
  '[[{"_id":"constructor","value":"x"}]]',
  '[[null]]',
  '[["Site_Name"]]',
  '["__proto__", 1]',
  '["constructor", {}]',
  '["toString"]',
  '["hasOwnProperty", "x"]',
  `[${'['.repeat(5000)}${']'.repeat(5000)}]`,
  `[[${new Array(100_000).fill(0).join(',')}]]`,
  `["${'x'.repeat(300_000)}"]`,
  `[{"resume":"${'r'.repeat(300_000)}"}]`,
  `[{"user":{"username":"${'u'.repeat(300_000)}"},"password":"x"}]`,
];

describe('accounts and settings methods under hostile params', () => {
  let server: TestServer;
  let anon: TestClient;
  let admin: TestClient;
  const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort();

  beforeAll(async () => {
    server = await startTestServer();
    anon = await TestClient.connect(server.url);
    admin = await TestClient.connect(server.url);
    await admin.login(ADMIN.username, ADMIN.password);
  });
  afterAll(async () => {
    for (const c of [anon, admin]) c?.close();
    await server?.stop();
  });

  let n = 0;
  async function callText(c: TestClient, method: string, paramsJson: string): Promise<Frame> {
    const id = `h${n++}`;
    c.sendRaw(`{"msg":"method","id":"${id}","method":"${method}","params":${paramsJson}}`);
    return c.waitFor((f) => f.msg === 'result' && f.id === id, 10_000);
  }

  it('every call is answered with a result or a client-safe error other than 500', { timeout: 120_000 }, async () => {
    const internal: string[] = [];
    for (const method of METHODS) {
      for (const [who, c] of [['anon', anon], ['admin', admin]] as const) {
        for (const params of HOSTILE_PARAMS) {
          const f = await callText(c, method, params);
          if (f.error) {
            expect(f.error).toMatchObject({ isClientSafe: true, errorType: 'Meteor.Error' });
            if (f.error.error === 500) internal.push(`${who} ${method} ${params.slice(0, 80)}`);
          }
          if (method === 'login') expect(f.result).toBeUndefined();
        }
      }
    }
    expect(internal).toEqual([]);
    for (const c of [anon, admin]) {
      for (const raw of c.raw) expect(() => JSON.parse(raw)).not.toThrow();
      expect(c.ws.readyState).toBe(c.ws.OPEN);
    }
    // nothing reached Object.prototype, and the anonymous connection is still anonymous
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoBefore);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect((await anon.callError('getUserRoles')).error).toBe('error-invalid-user');
    // no setting named like a prototype key appeared, and the admin's settings are intact
    expect(server.orbit.services.settings.has('__proto__')).toBe(false);
    expect(server.orbit.services.settings.has('constructor')).toBe(false);
  });

  it('a prototype key in a login selector never selects a user: 400 Match failed', async () => {
    for (const params of ['[{"user":{"__proto__":{"username":"admin"}},"password":"admin-pass"}]', '[{"user":{"$escape":{"__proto__":{"username":"admin"}}},"password":"admin-pass"}]']) {
      expect((await callText(anon, 'login', params)).error).toMatchObject({ error: 400, reason: 'Match failed' });
    }
  });

  it('registerUser: an e-mail built to make the address pattern backtrack is refused at once (error-invalid-email)', async () => {
    const email = `a@${'.'.repeat(200_000)}@`;
    const started = Date.now();
    const err = await anon.callError('registerUser', { email, pass: 'p', name: 'n' });
    expect(err.error).toBe('error-invalid-email');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
