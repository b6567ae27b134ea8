#!/usr/bin/env node
// Screenshots of the demo digest in headless Chromium: the front page, an article, a day
// and a topic page, 375 px (phone) and 1280 px (desktop) wide, light and dark.
//
//   npm ci --prefix tests/tools && node scripts/screenshots.mjs [OUT_DIR]
//
// Writes OUT_DIR/<page>-<width>-<scheme>.png (default docs/screenshots/). When pngquant
// or optipng is installed (apt-get install pngquant optipng), the files are shrunk with them.
// The README shows a few of these; docs/screenshots/.gitignore lists the ones kept in git.
import { spawnSync } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { launch } from "../tests/tools/chromium.mjs";
import { PAGES, REPO, serveSample } from "./sample-site.mjs";

const out = resolve(process.argv[2] || join(REPO, "docs/screenshots"));
mkdirSync(out, { recursive: true });

const VIEWPORTS = [
  { width: 375, height: 812 },
  { width: 1280, height: 800 },
];
const has = (tool) => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;

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
        if (has("pngquant")) {
          spawnSync("pngquant", ["--force", "--skip-if-larger", "--quality=70-95", "--output", file, file]);
        }
        if (has("optipng")) spawnSync("optipng", ["-quiet", "-o2", file]);
        console.log(`${file} (${statSync(file).size.toLocaleString("en")} bytes)`);
      }
    }
  }
} finally {
  await browser.close();
  site.stop();
}
