#!/usr/bin/env node
// Lighthouse (mobile profile, its default) on the demo digest served on 127.0.0.1: the
// front page, an article, a day and a topic page. Prints the four category scores per
// page, then the weight of each page (its HTML plus the stylesheets and scripts it loads).
//
//   npm ci --prefix scripts && node scripts/lighthouse.mjs [--runs N] [--json FILE]
//
// With --runs N each page is measured N times and the median score is shown.
// Chromium is Debian's /usr/bin/chromium (or $CHROME_PATH), started with the project's
// flags and a fresh profile each run.
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";
import { PAGES, serveSample } from "./sample-site.mjs";
import { FLAGS } from "../tests/tools/flags.mjs";
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(option("--runs", "1"));
const jsonFile = option("--json", null);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};

// One Lighthouse run in its own Chromium (chrome-launcher makes and removes the profile).
async function measure(url) {
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
    chromeFlags: FLAGS,
  });
  try {
    const result = await lighthouse(url, { port: chrome.port, output: "json", logLevel: "error" });
    const lhr = result.lhr;
    if (lhr.runtimeError) throw new Error(`${url}: ${lhr.runtimeError.message}`);
    const scores = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round(lhr.categories[c].score * 100)]));
    // Audits that cost points, for fixing them.
    const failing = Object.values(lhr.audits)
      .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== "informative" &&
        a.scoreDisplayMode !== "notApplicable" && a.scoreDisplayMode !== "manual")
      .map((a) => `${a.id} (${a.score})`);
    const metrics = {
      fcp: lhr.audits["first-contentful-paint"].displayValue,
      lcp: lhr.audits["largest-contentful-paint"].displayValue,
      tbt: lhr.audits["total-blocking-time"].displayValue,
      cls: lhr.audits["cumulative-layout-shift"].displayValue,
    };
    return { scores, failing, metrics };
  } finally {
    chrome.kill();
  }
}

// The page's HTML plus every stylesheet and script it loads, in bytes (raw and gzipped).
async function weigh(url) {
  const files = [];
  const get = async (u) => {
    const response = await fetch(u);
    if (!response.ok) throw new Error(`${u}: HTTP ${response.status}`);
    const body = Buffer.from(await response.arrayBuffer());
    files.push({ url: u, bytes: body.length, gzip: gzipSync(body, { level: 9 }).length });
    return body.toString("utf8");
  };
  const html = await get(url);
  const linked = [];
  for (const tag of html.match(/<(link|script)\b[^>]*>/g) || []) {
    // Quoted or not: pages are minified by default, and minified attributes lose quotes.
    const attr = (name) => {
      const m = tag.match(new RegExp(`\\b${name}=(?:"([^"]*)"|'([^']*)'|([^\\s>"']+))`));
      return m && (m[1] ?? m[2] ?? m[3]);
    };
    if (tag.startsWith("<link") && /\bstylesheet\b/.test(attr("rel") || "")) linked.push(attr("href"));
    if (tag.startsWith("<script") && attr("src")) linked.push(attr("src"));
  }
  for (const href of linked) await get(new URL(href, url).href);
  const sum = (key) => files.reduce((n, f) => n + f[key], 0);
  return { bytes: sum("bytes"), gzip: sum("gzip"), files };
}

const site = await serveSample();
const report = {};
try {
  for (const [kind, path] of Object.entries(PAGES)) {
    const url = site.base + path;
    const measured = [];
    for (let i = 0; i < runs; i++) measured.push(await measure(url));
    const scores = Object.fromEntries(CATEGORIES.map((c) => [c, median(measured.map((m) => m.scores[c]))]));
    const failing = [...new Set(measured.flatMap((m) => m.failing))];
    report[kind] = { path: "/" + path, scores, failing, metrics: measured.map((m) => m.metrics), weight: await weigh(url) };
    process.stderr.write(`measured ${kind}\n`);
  }
} finally {
  site.stop();
}

const pad = (s, n) => String(s).padEnd(n);
const version = createRequire(import.meta.url)("lighthouse/package.json").version;
console.log(`Lighthouse ${version}, mobile, ${runs} run(s) per page${runs > 1 ? " (median)" : ""}\n`);
console.log("| page | Performance | Accessibility | Best Practices | SEO |");
console.log("|---|---|---|---|---|");
for (const [kind, r] of Object.entries(report)) {
  const s = r.scores;
  console.log(`| ${kind} \`${r.path}\` | ${s.performance} | ${s.accessibility} | ${s["best-practices"]} | ${s.seo} |`);
}
console.log("\n| page | HTML + CSS + JS | gzipped | files |");
console.log("|---|---|---|---|");
for (const [kind, r] of Object.entries(report)) {
  const w = r.weight;
  const files = w.files.map((f, i) => `${i === 0 ? "HTML" : new URL(f.url).pathname.split("/").pop()} ${f.bytes}`);
  console.log(`| ${kind} | ${w.bytes.toLocaleString("en")} B | ${w.gzip.toLocaleString("en")} B | ${files.join(", ")} |`);
}
console.log("");
for (const [kind, r] of Object.entries(report)) {
  const m = r.metrics.map((x) => `FCP ${x.fcp}, LCP ${x.lcp}, TBT ${x.tbt}, CLS ${x.cls}`).join("; ");
  console.log(`${pad(kind, 8)} ${m}${r.failing.length ? `\n         audits below 1: ${r.failing.join(", ")}` : ""}`);
}
if (jsonFile) writeFileSync(jsonFile, JSON.stringify(report, null, 2));
