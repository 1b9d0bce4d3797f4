/**
 * Launches Debian's Chromium through playwright-core for browser tests. We use the distribution
 * package rather than Playwright's downloaded builds, so tests need no network at run time.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** The Chromium binary; override with CHROMIUM_PATH (e.g. a local Chrome) when needed. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for headless runs in containers and CI (no sandbox, GPU, updaters or first-run UI). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/**
 * Starts headless Chromium.
 * @throws Error explaining how to install Chromium when the binary is missing.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Browser tests use Debian's chromium package: ` +
        'run `bash scripts/ensure-chromium.sh` (as root it runs `apt-get update && apt-get install -y chromium`; ' +
        'otherwise `sudo apt-get install -y chromium`), or set CHROMIUM_PATH to a Chromium/Chrome binary.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
