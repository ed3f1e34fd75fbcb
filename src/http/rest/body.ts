import type { IncomingMessage } from 'node:http';
import { isPlainObject } from '../../realtime/params.js';
import { RestError, failure } from './rest-error.js';

/** The largest JSON body the REST API reads (decision: Rocket.Chat's own limit is far larger). */
export const MAX_BODY_BYTES = 64 * 1024;

const tooLarge = () => new RestError(413, { success: false, error: 'Payload Too Large' });

/**
 * Reads a request body as a JSON object. An empty body is `{}`. A body over `limit` bytes is a
 * 413 (refused from Content-Length before reading when it announces one); invalid JSON, or JSON
 * that is not an object, is a 400. On a 413 the caller should close the connection, since the
 * rest of the body is left unread.
 */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Record<string, unknown>> {
  const announced = Number(req.headers['content-length']);
  if (Number.isFinite(announced) && announced > limit) throw tooLarge();
  const raw = await readAtMost(req, limit);
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw failure('Invalid JSON body');
  }
  if (!isPlainObject(parsed)) throw failure('The request body must be a JSON object');
  return parsed;
}

function readAtMost(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      if (err) reject(err);
      else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onError = (err: Error) => finish(err);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
