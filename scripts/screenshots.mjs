#!/usr/bin/env node
// Screenshots of the demo digest in headless Chromium: the front page, an article, a day
// and a topic page, 375 px (phone) and 1280 px (desktop) wide, light and dark.
//
//   npm ci --prefix tests/tools && node scripts/screenshots.mjs [OUT_DIR]
//
// Writes OUT_DIR/<page>-<width>-<scheme>.png (default docs/screenshots/). When pngquant
// or optipng is installed (apt-get install pngquant optipng), the files are shrunk with them.
// The README shows a few of these; docs/screenshots/.gitignore lists the ones kept in git.
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { launch } from "../tests/tools/chromium.mjs";
import { PAGES, REPO, serveSample, shrinkPng } from "./sample-site.mjs";

const out = resolve(process.argv[2] || join(REPO, "docs/screenshots"));
mkdirSync(out, { recursive: true });

const VIEWPORTS = [
  { width: 375, height: 812 },
  { width: 1280, height: 800 },
];

const site = await serveSample();
const browser = await launch();
try {
  const page = await browser.context.newPage();
  for (const [kind, path] of Object.entries(PAGES)) {
    for (const viewport of VIEWPORTS) {
      for (const scheme of ["light", "dark"]) {
        await page.setViewportSize(viewport);
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(site.base + path, { waitUntil: "load" });
        const file = join(out, `${kind}-${viewport.width}-${scheme}.png`);
        await page.screenshot({ path: file });
        shrinkPng(file);
      }
    }
  }
} finally {
  await browser.close();
  site.stop();
}
