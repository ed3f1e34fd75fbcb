import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); browser downloads are not used. */
export const CHROMIUM = process.env.ORBIT_CHROMIUM ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Screenshots and other artifacts of the browser tests (git-ignored). */
export const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'web');

export interface TestBrowser {
  browser: Browser;
  /** A fresh context (a person of its own: own storage, own cookies). */
  person(baseURL: string, viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

/** One Chromium per test file; Playwright gives each launch a fresh temporary user-data directory. */
export async function launchBrowser(): Promise<TestBrowser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  return {
    browser,
    async person(baseURL, viewport = { width: 1200, height: 800 }) {
      const context = await browser.newContext({ baseURL, viewport });
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      page.on('pageerror', (err) => process.stderr.write(`[page error] ${err.message}\n`));
      return { context, page };
    },
    async close() {
      await browser.close();
    },
  };
}
