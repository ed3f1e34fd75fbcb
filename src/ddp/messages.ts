import { parseEjson } from './ejson.js';

/** DDP message shapes (packages/ddp/DDP.md). Only the fields the server reads or writes. */

export const SUPPORTED_VERSIONS = ['1', 'pre2', 'pre1'] as const;
export type DdpVersion = (typeof SUPPORTED_VERSIONS)[number];

export interface ConnectMsg { msg: 'connect'; version?: unknown; support?: unknown; session?: unknown }
export interface MethodMsg { msg: 'method'; id: string; method: string; params?: unknown[]; randomSeed?: string }
export interface SubMsg { msg: 'sub'; id: string; name: string; params?: unknown[] }
export interface UnsubMsg { msg: 'unsub'; id: string }

export type InboundMsg = { msg: string; [k: string]: unknown };

/** Meteor's version negotiation: the first client-supported version the server supports, else the server's first. */
export function negotiateVersion(msg: ConnectMsg): { ok: true; version: DdpVersion } | { ok: false; version: DdpVersion } {
  const { version, support } = msg;
  if (
    typeof version !== 'string' ||
    !Array.isArray(support) ||
    !support.every((s) => typeof s === 'string') ||
    !support.includes(version)
  ) {
    return { ok: false, version: SUPPORTED_VERSIONS[0] };
  }
  const chosen =
    (support as string[]).find((s): s is DdpVersion => (SUPPORTED_VERSIONS as readonly string[]).includes(s)) ??
    SUPPORTED_VERSIONS[0];
  return version === chosen ? { ok: true, version: chosen } : { ok: false, version: chosen };
}

export function isMethodMsg(m: InboundMsg): m is InboundMsg & MethodMsg {
  return (
    typeof m.id === 'string' &&
    typeof m.method === 'string' &&
    (m.params === undefined || Array.isArray(m.params)) &&
    (m.randomSeed === undefined || typeof m.randomSeed === 'string')
  );
}

export function isSubMsg(m: InboundMsg): m is InboundMsg & SubMsg {
  return typeof m.id === 'string' && typeof m.name === 'string' && (m.params === undefined || Array.isArray(m.params));
}

/**
 * Decodes one text frame: JSON with EJSON values. Also takes the SockJS-style framing some clients
 * send by mistake, `["<ddp json>"]`. Throws SyntaxError (not JSON) or EjsonError (bad EJSON).
 */
export function parseFrame(text: string): unknown {
  if (text.charCodeAt(0) === 0x5b /* [ */) {
    const arr: unknown = JSON.parse(text);
    if (Array.isArray(arr) && typeof arr[0] === 'string') return parseEjson(arr[0]);
    return arr;
  }
  return parseEjson(text);
}
