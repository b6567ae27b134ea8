#!/usr/bin/env node
// Screenshots of the demo digest's latest edition as an email (`gazette newsletter
// --latest`), in headless Chromium, 600 px (a desktop client's column) and 375 px (a
// phone) wide, light and dark (the email's own dark scheme).
//
//   npm ci --prefix tests/tools && cargo build && node scripts/newsletter-screenshots.mjs [OUT_DIR]
//
// Writes OUT_DIR/newsletter-<width>-<scheme>.png (default docs/screenshots/); GAZETTE
// names the binary (default target/debug/gazette).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { launch } from "../tests/tools/chromium.mjs";
import { REPO, shrinkPng } from "./sample-site.mjs";

const out = resolve(process.argv[2] || join(REPO, "docs/screenshots"));
mkdirSync(out, { recursive: true });
const gazette = process.env.GAZETTE || join(REPO, "target/debug/gazette");
const dir = mkdtempSync(join(tmpdir(), "gazette-newsletter-"));
const made = spawnSync(gazette, ["newsletter", "--latest", "--root", REPO, "--output", dir], { encoding: "utf8" });
if (made.status !== 0) throw new Error(made.stderr);
const html = readdirSync(dir).find((f) => f.endsWith(".html"));
const browser = await launch();
try {
  const page = await browser.context.newPage();
  for (const width of [600, 375]) {
    for (const scheme of ["light", "dark"]) {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(pathToFileURL(join(dir, html)).href, { waitUntil: "load" });
      const file = join(out, `newsletter-${width}-${scheme}.png`);
      await page.screenshot({ path: file });
      shrinkPng(file);
    }
  }
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
