// Debian's Chromium, headless, through playwright-core (which never downloads a browser).
// Shared by tests/tools/axe.mjs and scripts/screenshots.mjs.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const CHROMIUM = process.env.CHROME_PATH || "/usr/bin/chromium";

import { FLAGS } from "./flags.mjs";
export { FLAGS };

/**
 * Starts Chromium with a fresh profile (`--user-data-dir`, a new temporary folder) and
 * returns `{ context, close }`; `close()` stops the browser and removes the profile.
 */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), "gazette-chromium-"));
  let context;
  try {
    // Playwright passes `--user-data-dir=<profile>` itself for a persistent context.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 375, height: 812 },
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  return {
    context,
    async close() {
      try {
        await context.close();
      } finally {
        rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
      }
    },
  };
}
