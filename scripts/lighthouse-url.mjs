// Lighthouse (mobile profile) three times on one URL, each run's four scores, LCP, CLS and
// bytes, and the audits below 1. A dev tool, like lighthouse.mjs: `npm ci --prefix scripts`
// first. Usage: node scripts/lighthouse-url.mjs http://127.0.0.1:PORT/path/
import { createRequire } from "node:module";
const require = createRequire(new URL("./package.json", import.meta.url));
const lighthouse = (await import(require.resolve("lighthouse"))).default;
const chromeLauncher = await import(require.resolve("chrome-launcher"));
const url = process.argv[2];
const chrome = await chromeLauncher.launch({ chromePath: "/usr/bin/chromium", chromeFlags: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
try {
  for (let i = 0; i < 3; i++) {
    const r = await lighthouse(url, { port: chrome.port, output: "json", logLevel: "error" });
    const c = r.lhr.categories;
    const failing = Object.values(r.lhr.audits).filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "manual").map((a) => a.id);
    console.log(`run ${i + 1}: performance ${Math.round(c.performance.score * 100)} accessibility ${Math.round(c.accessibility.score * 100)} best-practices ${Math.round(c["best-practices"].score * 100)} seo ${Math.round(c.seo.score * 100)} LCP ${r.lhr.audits["largest-contentful-paint"].displayValue} CLS ${r.lhr.audits["cumulative-layout-shift"].displayValue} bytes ${r.lhr.audits["total-byte-weight"].displayValue}; below 1: ${failing.join(", ")}`);
  }
} finally { await chrome.kill(); }
