import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/ddp-client.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

describe('smoke: boot, handshake, login', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('the first admin logs in with a password and lists the privileged users', async () => {
    const c = await TestClient.connect(server.url);
    expect(c.raw[0]).toBe('{"server_id":"0"}');
    const login = await c.login(ADMIN.username, ADMIN.password);
    expect(login.token).toHaveLength(43);
    const roles = await c.call('getUserRoles');
    expect(roles).toEqual([{ _id: login.id, username: 'admin', roles: ['admin'] }]);
    c.close();
  });
});
