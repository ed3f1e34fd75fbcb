import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

/**
 * The built web client (Vite's output, `dist/web`), held in memory and served at `/`: hashed assets
 * with year-long immutable caching, `index.html` for every client route (never cached without a
 * check), brotli/gzip variants written by the build, and the security headers of the page.
 * Framework-free: `answer()` says what to send; the HTTP server writes it.
 */

/** Rocket.Chat's client paths; anything else (`/api`, `/hooks`, `/websocket`, `/health`, …) is never shadowed. */
const CLIENT_ROUTES = /^\/(?:|home|login|register|(?:channel|group|direct)\/[^/]+)\/?$/;

export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
});

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

type Encoding = 'br' | 'gzip' | 'identity';

interface Asset {
  readonly type: string;
  readonly etag: string;
  readonly cacheControl: string;
  readonly bodies: Partial<Record<Encoding, Buffer>> & { identity: Buffer };
}

export interface WebAnswer {
  status: number;
  headers: Record<string, string>;
  /** Empty for 304; for HEAD the HTTP server sends the headers only. */
  body: Buffer;
}

export interface WebRequest {
  method: string;
  path: string;
  acceptEncoding?: string | undefined;
  ifNoneMatch?: string | undefined;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** The encodings the client accepts, best first (q=0 excluded). */
function accepted(header: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) continue;
    out.add(name);
  }
  return out;
}

export class WebClient {
  readonly #assets = new Map<string, Asset>();

  private constructor(readonly dir: string) {}

  /** Reads the built client into memory; an absent or empty folder gives a client that says it is not built. */
  static load(dir: string): WebClient {
    const web = new WebClient(dir);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return web;
    const files = listFiles(dir);
    const present = new Set(files);
    for (const file of files) {
      if (file.endsWith('.br') || file.endsWith('.gz')) continue;
      const urlPath = '/' + relative(dir, file).split(sep).join('/');
      const identity = readFileSync(file);
      const bodies: Asset['bodies'] = { identity };
      if (present.has(`${file}.br`)) bodies.br = readFileSync(`${file}.br`);
      if (present.has(`${file}.gz`)) bodies.gzip = readFileSync(`${file}.gz`);
      const hashed = urlPath.startsWith('/assets/');
      web.#assets.set(urlPath, {
        type: TYPES[extname(file)] ?? 'application/octet-stream',
        etag: createHash('sha256').update(identity).digest('base64url').slice(0, 22),
        cacheControl: hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
        bodies,
      });
    }
    return web;
  }

  get built(): boolean {
    return this.#assets.has('/index.html');
  }

  /** URL paths of the built files outside `/assets/` (favicon, index.html, …). */
  rootFiles(): string[] {
    return [...this.#assets.keys()].filter((p) => !p.startsWith('/assets/'));
  }

  /** The built file at a URL path (tests and the size report). */
  file(path: string): Buffer | undefined {
    return this.#assets.get(path)?.bodies.identity;
  }

  /** What to answer, or undefined when the path is not the client's (the server's own routes then decide). */
  answer(req: WebRequest): WebAnswer | undefined {
    if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
    let asset = this.#assets.get(req.path);
    if (!asset && CLIENT_ROUTES.test(req.path)) {
      asset = this.#assets.get('/index.html');
      if (!asset) {
        const body = Buffer.from('The web client is not built: run `npm run build`, then start Orbit again.\n');
        return { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }, body };
      }
    }
    if (!asset) return undefined;
    const ok = accepted(req.acceptEncoding);
    const encoding: Encoding = asset.bodies.br && ok.has('br') ? 'br' : asset.bodies.gzip && ok.has('gzip') ? 'gzip' : 'identity';
    const body = asset.bodies[encoding] ?? asset.bodies.identity;
    const etag = `"${asset.etag}${encoding === 'identity' ? '' : `-${encoding}`}"`;
    const headers: Record<string, string> = {
      ...SECURITY_HEADERS,
      'content-type': asset.type,
      'cache-control': asset.cacheControl,
      etag,
      vary: 'Accept-Encoding',
    };
    if (encoding !== 'identity') headers['content-encoding'] = encoding;
    const matches = req.ifNoneMatch?.split(',').some((t) => t.trim() === etag || t.trim() === '*');
    if (matches) return { status: 304, headers, body: Buffer.alloc(0) };
    headers['content-length'] = String(body.length);
    return { status: 200, headers, body };
  }
}
