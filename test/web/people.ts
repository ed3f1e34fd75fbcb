import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Locator, Page } from 'playwright-core';

/** What a person does on the page, through roles and accessible names only (shared/spec/web.md). */

export async function signIn(page: Page, username: string, password = `${username}-pass`): Promise<void> {
  await page.goto('/');
  await page.getByRole('textbox', { name: 'Username or email' }).fill(username);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await sidebar(page).waitFor();
}

export const sidebar = (page: Page): Locator => page.getByRole('navigation', { name: 'Rooms' });

export const roomLink = (page: Page, name: string): Locator => sidebar(page).getByRole('link', { name, exact: true });

export const log = (page: Page): Locator => page.getByRole('log', { name: 'Messages' });

/** The message articles whose text contains `text`. */
export const message = (page: Page, text: string): Locator => log(page).getByRole('article').filter({ hasText: text });

export async function openRoom(page: Page, name: string): Promise<void> {
  await roomLink(page, name).click();
  await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
  await page.locator('[role=log][aria-busy=false]').waitFor();
}

/** Sends a message from the composer and waits until it shows (as `shown` when rendering changes the text). */
export async function send(page: Page, text: string, shown = text): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
  await message(page, shown).first().waitFor();
}

export const headerButton = (page: Page, name: string): Locator => page.getByRole('button', { name, exact: true });

/** Chooses an item of a menu button (`Message actions`, `Member actions`, `Account`) inside `scope`. */
export async function chooseMenu(scope: Locator | Page, menu: string, item: string): Promise<void> {
  const button = scope.getByRole('button', { name: menu, exact: true });
  await button.hover().catch(() => undefined);
  await button.click();
  const page: Page = 'goto' in scope ? scope : scope.page();
  await page.getByRole('menuitem', { name: item, exact: true }).click();
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/** axe-core in the page (evaluated through the debugger, so the page's CSP stays on): serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] }).then(r => r.violations)')) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
