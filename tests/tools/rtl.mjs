// Right-to-left layout in headless Chromium: for each URL, prints one JSON line saying how
// the page lays out (its direction, which side the editor's note and the blockquote rule
// sit on, whether the navigation runs from the right, whether the page scrolls sideways).
// Used by tests/testsuite/i18n.rs.
import { launch } from "./chromium.mjs";

const browser = await launch();
try {
  for (const url of process.argv.slice(2)) {
    const page = await browser.context.newPage();
    await page.goto(url, { waitUntil: "load" });
    const found = await page.evaluate(() => {
      const side = (selector) => {
        const el = document.querySelector(selector);
        if (!el) return null;
        const s = getComputedStyle(el);
        return { left: s.borderLeftWidth, right: s.borderRightWidth };
      };
      const nav = [...document.querySelectorAll(".masthead__nav li")].map((li) => li.getBoundingClientRect().left);
      return {
        dir: document.documentElement.dir,
        computed: getComputedStyle(document.body).direction,
        note: side(".editor-note"),
        navFromRight: nav.length > 1 && nav[0] > nav[nav.length - 1],
        sideways: document.documentElement.scrollWidth > document.documentElement.clientWidth,
      };
    });
    console.log(JSON.stringify({ url, ...found }));
    await page.close();
  }
} finally {
  await browser.close();
}
