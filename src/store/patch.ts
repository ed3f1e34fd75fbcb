import type { Patch } from './store.js';
import { setOwn } from './stored-json.js';

/**
 * Applies a Patch to a document in memory, in the order set, unset, inc, addToSet, pull, then sets
 * `_updatedAt` to `now`. Returns a new top-level object (nested values are shared with `doc` and
 * the patch). The document's `_id` never changes; a `set` member whose value is `undefined` is
 * ignored (as MongoDB does with `ignoreUndefined`), so stored documents never hold `undefined`.
 *
 * Shared by the SQLite and PostgreSQL backends (it knows nothing about either).
 */
export function applyPatch<T extends object>(doc: T, patch: Patch<T>, now: Date): T {
  const out: Record<string, unknown> = { ...(doc as Record<string, unknown>) };
  const id = out['_id'];
  if (patch.set) {
    for (const [k, v] of Object.entries(patch.set)) {
      if (v !== undefined) setOwn(out, k, v);
    }
  }
  if (patch.unset) for (const k of patch.unset) delete out[k];
  if (patch.inc) {
    for (const [k, by] of Object.entries(patch.inc) as Array<[string, number | undefined]>) {
      if (by === undefined) continue;
      const cur = out[k];
      if (cur !== undefined && cur !== null && typeof cur !== 'number') throw new TypeError(`cannot inc non-numeric field ${k}`);
      setOwn(out, k, ((cur as number | null | undefined) ?? 0) + by);
    }
  }
  if (patch.addToSet) {
    for (const [k, v] of Object.entries(patch.addToSet) as Array<[string, string | undefined]>) {
      if (v === undefined) continue;
      const cur = arrayField(out, k, 'addToSet');
      if (!cur.includes(v)) setOwn(out, k, [...cur, v]);
    }
  }
  if (patch.pull) {
    for (const [k, v] of Object.entries(patch.pull) as Array<[string, string | undefined]>) {
      if (v === undefined || out[k] === undefined || out[k] === null) continue;
      const cur = arrayField(out, k, 'pull');
      if (cur.includes(v)) setOwn(out, k, cur.filter((x) => x !== v));
    }
  }
  if (id !== undefined) out['_id'] = id;
  out['_updatedAt'] = now;
  return out as T;
}

function arrayField(doc: Record<string, unknown>, key: string, op: string): unknown[] {
  const cur = doc[key];
  if (cur === undefined || cur === null) return [];
  if (!Array.isArray(cur)) throw new TypeError(`cannot ${op} on non-array field ${key}`);
  return cur;
}

/** The top-level fields a patch may change (besides `_updatedAt`). */
export function patchedFields<T>(patch: Patch<T>): Set<string> {
  const fields = new Set<string>();
  for (const part of [patch.set, patch.inc, patch.addToSet, patch.pull]) if (part) for (const k of Object.keys(part)) fields.add(k);
  if (patch.unset) for (const k of patch.unset) fields.add(k);
  return fields;
}
