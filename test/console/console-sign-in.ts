/**
 * Signs a staff member in to the console in a fresh Chromium context (password `pw-<login>-secret`,
 * as `createStaff` makes them) and collects the page's script errors and console errors into
 * `problems` (4xx resource loads the console answers itself are not problems).
 */
import type { Browser, Page } from 'playwright-core';

export async function signInToConsole(browser: Browser, baseUrl: string, login: string, problems: string[]): Promise<Page> {
  const context = await browser.newContext({ locale: 'ko-KR' });
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`${login}: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) problems.push(`${login}: ${msg.text()}`);
  });
  await page.goto(`${baseUrl}/console/`);
  await page.fill('#login-form [name=login]', login);
  await page.fill('#login-form [name=password]', `pw-${login}-secret`);
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector('#app:not([hidden])');
  return page;
}
