import type { HistogramJson } from './histogram.js';

/** The messages between the coordinator (run.ts) and its load-generator processes. */

/** One simulated client: where it connects, how it logs in, what it subscribes to, what it calls with. */
export interface ClientSpec {
  url: string;
  /** A resume token: the client logs in with it right after the handshake. */
  token?: string;
  /** The room its calls are about (sendMessage, getRoomById, loadHistory). */
  rid?: string;
  subs: Array<[name: string, params: unknown[]]>;
}

export type LoadMethod = 'sendMessage' | 'getRoomById' | 'rooms/get' | 'loadHistory' | 'login';

export interface LoadSpec {
  method: LoadMethod;
  /** open: `rate` calls/s from this process whatever the answers; closed: each client waits for its answer. */
  mode: 'open' | 'closed';
  rate?: number;
  /** Indexes of this process's clients that make the calls. */
  callers: number[];
  /** loadHistory: `end` is drawn uniformly from [tsMin, tsMax]. */
  history?: { tsMin: number; tsMax: number; limit: number };
  /** sendMessage: keep the `_id` of every acknowledged message (for the persistence check). */
  collectIds?: boolean;
}

export type Command =
  | { cmd: 'open'; clients: ClientSpec[]; concurrency: number }
  | { cmd: 'load'; load: LoadSpec }
  | { cmd: 'measure' }
  | { cmd: 'report' }
  | { cmd: 'stopLoad'; drainMs: number }
  | { cmd: 'close' };

export interface OpenResult {
  opened: number;
  failed: number;
  errors: string[];
}

export interface Outcomes {
  ok: number;
  empty: number;
  error: number;
  closed: number;
  timeout: number;
}

/** Counters since the last `measure`. */
export interface Report {
  /** Stream frames received: room streams, `__my_messages__`, anything else (notify-user …). */
  deliveries: { room: number; my: number; other: number };
  /** Send → receive latency of room-stream frames carrying a benchmark timestamp (µs). */
  delivery: HistogramJson;
  calls: Outcomes;
  /** Call → result latency of answered calls (µs). */
  call: HistogramJson;
  errors: string[];
  /** Sockets the server closed. */
  closedConns: number;
}

export interface StopResult {
  ackedIds: string[];
  inFlight: number;
}

export interface Reply {
  seq: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}
