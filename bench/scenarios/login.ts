import { client, measureWindow, openClients, row, troubles, type Measured, type Scenario, type TargetRun } from '../scenario.js';
import { makeUsers } from '../seed.js';

/**
 * 7. Login storm: `connections` sockets open and log in by resume token (the cold storm), then
 * each calls `login` again back to back (closed loop): logins/s and latency.
 */
export const login: Scenario = {
  id: 'login',
  title: 'login storm',
  fixture(opts) {
    return { users: makeUsers(opts.login.connections), rooms: [] };
  },
  async run(t: TargetRun): Promise<Measured> {
    const clients = t.fixture.users.map((u, i) => client(t, i, { token: u.token, subs: [] }));
    const opening = performance.now();
    await openClients(t, clients, 'connections (handshake + resume login)');
    const coldSeconds = (performance.now() - opening) / 1000;
    await t.pool.load({ method: 'login', mode: 'closed' }, clients.map((_, i) => i));
    const w = await measureWindow(t, 'resume logins', t.opts.login.durationMs);
    await t.pool.stopLoad();
    const lat = w.report.call.summaryMs();
    return {
      metrics: {
        coldPerSec: clients.length / coldSeconds,
        perSec: w.report.calls.ok / w.seconds,
        cpuUsPerLogin: (w.cost.cpuSeconds * 1e6) / Math.max(1, w.report.calls.ok),
        p50: lat.p50,
        p99: lat.p99,
      },
      cost: { login: w.cost },
      notes: troubles(w.report),
    };
  },
  rows(b, o, opts) {
    const s = `7. login storm, ${opts.login.connections} connections`;
    return [
      row(s, 'resume logins / s', '/s', b, o, 'perSec', 'login'),
      row(s, 'server CPU per login', 'µs', b, o, 'cpuUsPerLogin', 'login'),
      row(s, 'login p50', 'ms', b, o, 'p50', 'login'),
      row(s, 'login p99', 'ms', b, o, 'p99', 'login'),
      row(s, 'cold connect+login / s', '/s', b, o, 'coldPerSec', 'login'),
    ];
  },
};
