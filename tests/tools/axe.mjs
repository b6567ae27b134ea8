#!/usr/bin/env node
// Audits pages in headless Chromium, in the light and the dark colour scheme:
//   - axe-core finds no violation (all its default rules: WCAG 2 A/AA and best practices,
//     plus WCAG 2.2's target-size: links and controls at least 24 px or spaced apart);
//   - at 320 px wide the page does not scroll sideways (scrollWidth <= clientWidth);
//   - every request goes to the page's own host (no outside fonts, scripts or images);
//   - every <img> has width and height attributes (no layout shift while it loads);
//   - print: black on white, no navigation, the source link followed by its address;
//   - keyboard: the first Tab focuses a visible "skip to content" link whose target is
//     <main>; following it, the next Tab lands inside <main>; Tab reaches every link and
//     control on the page, and each shows a visible focus indicator.
//
//   node tests/tools/axe.mjs URL...
//
// Prints one line per page and scheme, then every problem; exits 1 when there is any.
import { createRequire } from "node:module";
import { launch } from "./chromium.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const AXE_VERSION = require("axe-core/package.json").version;

const urls = process.argv.slice(2);
if (urls.length === 0) {
  console.error("usage: node tests/tools/axe.mjs URL...");
  process.exit(2);
}

const problems = [];
const browser = await launch();
try {
  for (const url of urls) {
    for (const scheme of ["light", "dark"]) {
      const where = `${url} (${scheme})`;
      const found = await audit(browser.context, url, scheme);
      for (const p of found.problems) problems.push(`${where}: ${p}`);
      console.log(
        `${found.problems.length ? "FAIL" : "ok  "} ${where}: axe ${found.violations} violation(s), ` +
          `${found.passes} rule(s) passed; width at 320 px: ${found.scrollWidth}/${found.clientWidth}; ` +
          `Tab reached ${found.reached}/${found.controls} control(s)`,
      );
    }
  }
} finally {
  await browser.close();
}

console.log(`axe-core ${AXE_VERSION}: ${urls.length} page(s) x 2 schemes, ${problems.length} problem(s)`);
for (const p of problems) console.log(`  - ${p}`);
process.exit(problems.length ? 1 : 0);

async function audit(context, url, scheme) {
  const problems = [];
  const page = await context.newPage();
  const host = new URL(url).host;
  page.on("request", (request) => {
    const u = new URL(request.url());
    if (/^https?:$/.test(u.protocol) && u.host !== host) {
      problems.push(`requests a file from another host: ${request.url()}`);
    }
  });
  page.on("pageerror", (error) => problems.push(`script error: ${error.message}`));
  try {
    await page.setViewportSize({ width: 375, height: 812 });
    await page.emulateMedia({ colorScheme: scheme });
    const response = await page.goto(url, { waitUntil: "load" });
    await settled(page);
    if (!response || !response.ok()) {
      problems.push(`HTTP status ${response ? response.status() : "none"}`);
    }

    // axe-core, every default rule.
    await page.addScriptTag({ path: AXE });
    const result = await page.evaluate(async () => {
      // Every rule axe runs by default, plus WCAG 2.2's target size (24 px), off by default.
      const r = await window.axe.run(document, {
        resultTypes: ["violations"],
        rules: { "target-size": { enabled: true } },
      });
      return {
        passes: r.passes.length,
        violations: r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary.replace(/\s+/g, " ")}`),
        })),
      };
    });
    if (result.passes === 0) problems.push("axe-core checked no rule at all");
    for (const v of result.violations) {
      problems.push(`axe ${v.id} (${v.impact}): ${v.help}\n      ${v.nodes.join("\n      ")}`);
    }

    // Images carry their size.
    const unsized = await page.$$eval("img", (imgs) =>
      imgs.filter((i) => !i.getAttribute("width") || !i.getAttribute("height")).map((i) => i.src),
    );
    for (const src of unsized) problems.push(`<img> without width and height: ${src}`);

    // Keyboard, at phone width.
    const keyboard = await checkKeyboard(page);
    problems.push(...keyboard.problems);

    // Print: an article prints as black text on white, without navigation, with the
    // address of the original story after its link.
    problems.push(...(await checkPrint(page)));

    // No sideways scrolling at 320 px.
    await page.setViewportSize({ width: 320, height: 640 });
    const { scrollWidth, clientWidth, wide } = await page.evaluate(() => {
      const root = document.documentElement;
      const limit = root.clientWidth;
      const wide = [...document.body.querySelectorAll("*")]
        .filter((e) => e.getBoundingClientRect().right > limit + 0.5)
        .filter((e) => !e.parentElement.closest("pre, table, .visually-hidden"))
        .slice(0, 5)
        .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")}`);
      return { scrollWidth: root.scrollWidth, clientWidth: limit, wide };
    });
    if (scrollWidth > clientWidth) {
      problems.push(`scrolls sideways at 320 px: scrollWidth ${scrollWidth} > ${clientWidth} (${wide.join(", ")})`);
    }
    return {
      problems,
      violations: result.violations.length,
      passes: result.passes,
      scrollWidth,
      clientWidth,
      reached: keyboard.reached,
      controls: keyboard.controls,
    };
  } finally {
    await page.close();
  }
}

async function checkPrint(page) {
  await page.emulateMedia({ media: "print" });
  const found = await page.evaluate(() => {
    const problems = [];
    const style = getComputedStyle(document.body);
    if (style.color !== "rgb(0, 0, 0)") problems.push(`text is ${style.color}, not black`);
    const bg = style.backgroundColor;
    if (bg !== "rgb(255, 255, 255)" && bg !== "rgba(0, 0, 0, 0)") problems.push(`background is ${bg}, not white`);
    for (const selector of [".skip-link", ".masthead__nav", ".site-footer", ".pager", ".related", ".pagination"]) {
      for (const e of document.querySelectorAll(selector)) {
        if (e.getClientRects().length > 0) problems.push(`${selector} is printed`);
      }
    }
    const source = document.querySelector(".article__source a");
    if (source) {
      const after = getComputedStyle(source, "::after").content;
      if (!after.includes(source.getAttribute("href"))) {
        problems.push(`the source link does not print its address (::after is ${after})`);
      }
    }
    return problems;
  });
  await page.emulateMedia({ media: "screen" });
  return found.map((p) => `print: ${p}`);
}

// A page whose script fetches more after load (the search page with a query) is audited
// once those fetches are done and its results shown.
async function settled(page) {
  if (await page.$("[data-search]")) await page.waitForLoadState("networkidle");
}

// Numbers (data-kbd) every control a keyboard user should reach; returns how many.
// The skip link is off screen until focused, so it counts as visible.
function numberControls() {
  const selector = "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])";
  const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
  let n = 0;
  for (const e of document.querySelectorAll(selector)) {
    if (!e.disabled && (visible(e) || e.classList.contains("skip-link"))) e.dataset.kbd = String(n++);
  }
  return n;
}

async function checkKeyboard(page) {
  const problems = [];
  const controls = await page.evaluate(numberControls);
  // What has focus now: its number, whether it is in <main>, on screen, and outlined.
  const focused = () =>
    page.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return null;
      const s = getComputedStyle(e);
      const box = e.getBoundingClientRect();
      const outlined =
        (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
      return {
        id: e.dataset.kbd,
        label: `${e.tagName.toLowerCase()} "${(e.textContent || "").trim().slice(0, 40)}"`,
        inMain: !!e.closest("main"),
        onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight,
        outlined,
        focusVisible: e.matches(":focus-visible"),
        href: e.getAttribute("href"),
      };
    });

  await page.keyboard.press("Tab");
  const first = await focused();
  if (!first || first.href !== "#main" || !first.onScreen || !first.outlined) {
    problems.push(`the first Tab does not show a skip link to #main (focused: ${JSON.stringify(first)})`);
  }
  if (!(await page.$("main#main"))) problems.push("no <main id=main> for the skip link");
  if (first && first.href === "#main") {
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    const afterSkip = await focused();
    if (!afterSkip || !afterSkip.inMain) {
      problems.push(`after the skip link, Tab does not land in <main> (focused: ${JSON.stringify(afterSkip)})`);
    }
  }

  // From the top, Tab through the whole page.
  await page.reload({ waitUntil: "load" });
  await settled(page);
  await page.evaluate(numberControls);
  const reached = new Set();
  for (let i = 0; i < controls + 2; i++) {
    await page.keyboard.press("Tab");
    const f = await focused();
    if (!f) continue;
    if (f.id !== undefined) reached.add(f.id);
    if (!f.outlined || !f.focusVisible) problems.push(`no visible focus indicator on ${f.label}`);
    if (!f.onScreen) problems.push(`focused ${f.label} is not scrolled into view`);
  }
  if (reached.size < controls) {
    const missed = await page.evaluate(
      (ids) =>
        [...document.querySelectorAll("[data-kbd]")]
          .filter((e) => !ids.includes(e.dataset.kbd))
          .slice(0, 5)
          .map((e) => `${e.tagName.toLowerCase()} "${e.textContent.trim().slice(0, 40)}"`),
      [...reached],
    );
    problems.push(`Tab reaches ${reached.size} of ${controls} controls; missed: ${missed.join(", ")}`);
  }
  return { problems: [...new Set(problems)], reached: reached.size, controls };
}
