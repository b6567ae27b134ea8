// The project's flags for every Chromium it starts (see .ci/run and the README); a module
// of its own, with no imports, so scripts that do not use playwright can share it.
export const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
