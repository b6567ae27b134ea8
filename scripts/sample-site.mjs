// The demo digest (the repository root: site.toml, content/, themes/) built into a
// temporary folder for http://127.0.0.1:PORT/ and served there by Python's static server.
// Used by scripts/lighthouse.mjs and scripts/screenshots.mjs.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");

// The page kinds the theme is measured on (paths under the site root).
export const PAGES = {
  front: "",
  article: "2018/08/13/turkish-lira-crisis/",
  day: "2018/08/15/",
  topic: "topics/diplomacy/",
};

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Builds and serves the demo; returns `{ base, dir, stop }` (base ends with `/`). */
export async function serveSample() {
  const gazette = process.env.GAZETTE || join(REPO, "target/release/gazette");
  if (!existsSync(gazette)) {
    const cargo = spawnSync("cargo", ["build", "--release", "--locked"], { cwd: REPO, stdio: "inherit" });
    if (cargo.status !== 0) throw new Error("cargo build --release failed");
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}/`;
  const dir = mkdtempSync(join(tmpdir(), "gazette-sample-"));
  const built = spawnSync(
    gazette,
    ["build", "--quiet", "--root", REPO, "--output", join(dir, "public"), "--base-url", base],
    { stdio: "inherit" },
  );
  if (built.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error("gazette build failed");
  }
  const server = spawn(
    "python3",
    ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", join(dir, "public")],
    { stdio: "ignore" },
  );
  for (let i = 0; ; i++) {
    try {
      await fetch(base);
      break;
    } catch (error) {
      if (i > 100) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    base,
    dir: join(dir, "public"),
    stop() {
      server.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Shrinks the PNG `file` with pngquant and optipng where they are installed
 * (apt-get install pngquant optipng), and prints its name and size.
 */
export function shrinkPng(file) {
  const has = (tool) => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
  if (has("pngquant")) {
    spawnSync("pngquant", ["--force", "--skip-if-larger", "--quality=70-95", "--output", file, file]);
  }
  if (has("optipng")) spawnSync("optipng", ["-quiet", "-o2", file]);
  console.log(`${file} (${statSync(file).size.toLocaleString("en")} bytes)`);
}
