/** The benchmark's flags and the sizes of each scenario, full or --quick. */

export interface Options {
  quick: boolean;
  /** Scenario ids to run (all when undefined). */
  only?: Set<string>;
  /** Load-generator processes. */
  workers: number;
  /** Try the two-instance PostgreSQL + NATS part. */
  cluster: boolean;
  /** Start Orbit with --cpu-prof (profiles land in bench/results/profiles/). */
  cpuProf: boolean;
  /** Keep Orbit's default rate limits on (off by default: the figures measure the server, not the limits). */
  rateLimit: boolean;
  warmupMs: number;
  fanout: { members: number; senders: number; rate: number; durationMs: number; fastRate: number; fastDurationMs: number };
  manyRooms: { rooms: number; members: number; rate: number; durationMs: number };
  idle: { connections: number; roomMembers: number; senders: number; rate: number; durationMs: number; settleMs: number };
  cheap: { connections: number; rooms: number; roomsPerUser: number; durationMs: number };
  history: { messages: number; connections: number; rate: number; durationMs: number };
  writes: { rooms: number; sendersPerRoom: number; durationMs: number };
  login: { connections: number; durationMs: number };
}

export const SCENARIOS = ['fanout', 'many-rooms', 'idle', 'cheap', 'history', 'writes', 'login', 'room-writes', 'room-writes-all'] as const;

function full(): Options {
  return {
    quick: false,
    workers: 2,
    cluster: true,
    cpuProf: false,
    rateLimit: false,
    warmupMs: 3000,
    fanout: { members: 1000, senders: 10, rate: 20, durationMs: 20_000, fastRate: 50, fastDurationMs: 15_000 },
    manyRooms: { rooms: 200, members: 10, rate: 400, durationMs: 20_000 },
    idle: { connections: 10_000, roomMembers: 1000, senders: 10, rate: 20, durationMs: 20_000, settleMs: 5000 },
    cheap: { connections: 200, rooms: 50, roomsPerUser: 5, durationMs: 15_000 },
    history: { messages: 1_000_000, connections: 20, rate: 200, durationMs: 20_000 },
    writes: { rooms: 100, sendersPerRoom: 2, durationMs: 20_000 },
    login: { connections: 1000, durationMs: 15_000 },
  };
}

function quick(): Options {
  return {
    ...full(),
    quick: true,
    warmupMs: 500,
    fanout: { members: 200, senders: 10, rate: 20, durationMs: 2000, fastRate: 50, fastDurationMs: 1500 },
    manyRooms: { rooms: 40, members: 10, rate: 100, durationMs: 2000 },
    idle: { connections: 1000, roomMembers: 200, senders: 10, rate: 20, durationMs: 2000, settleMs: 500 },
    cheap: { connections: 50, rooms: 20, roomsPerUser: 5, durationMs: 1500 },
    history: { messages: 50_000, connections: 10, rate: 200, durationMs: 2000 },
    writes: { rooms: 20, sendersPerRoom: 2, durationMs: 2000 },
    login: { connections: 200, durationMs: 1500 },
  };
}

const USAGE = `usage: npm run bench -- [--quick] [--only=${SCENARIOS.join(',')}] [--workers=N]
       [--history-messages=N] [--idle-connections=N] [--no-cluster] [--cpu-prof] [--rate-limit]`;

function count(name: string, v: string | undefined): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} needs a positive integer\n${USAGE}`);
  return n;
}

export function parseOptions(argv: readonly string[]): Options {
  const o = argv.includes('--quick') ? quick() : full();
  for (const arg of argv) {
    const [flag, value] = arg.split('=', 2) as [string, string | undefined];
    switch (flag) {
      case '--quick':
        break;
      case '--only': {
        const ids = (value ?? '').split(',').filter(Boolean);
        const bad = ids.filter((id) => !(SCENARIOS as readonly string[]).includes(id));
        if (bad.length > 0 || ids.length === 0) throw new Error(`unknown scenario ${bad.join(',')}\n${USAGE}`);
        o.only = new Set(ids);
        break;
      }
      case '--workers':
        o.workers = count('workers', value);
        break;
      case '--history-messages':
        o.history.messages = count('history-messages', value);
        break;
      case '--idle-connections':
        o.idle.connections = count('idle-connections', value);
        o.idle.roomMembers = Math.min(o.idle.roomMembers, o.idle.connections);
        break;
      case '--no-cluster':
        o.cluster = false;
        break;
      case '--cpu-prof':
        o.cpuProf = true;
        break;
      case '--rate-limit':
        o.rateLimit = true;
        break;
      case '--help':
      case '-h':
        throw new Error(USAGE);
      default:
        throw new Error(`unknown flag ${arg}\n${USAGE}`);
    }
  }
  return o;
}
