// Gazette's search page. Reads search-index/manifest.json from the site's base path, then
// only the parts of the index a query needs (see src/render/search.rs for the layout): the
// leaves of the term trie that hold the query's words (for a long list, its newest piece
// first) and the record files of the results shown. Lists the articles that hold every
// word typed (the last one as a prefix while typing), filtered by topic and outlet, best
// match first (headline, then topics and outlet, summary, text; ties to the newer) or
// newest first. Every text it shows comes from the page (data-msg-* attributes), so a
// translated template translates it. Runs offline; requests nothing from other hosts.
(() => {
  "use strict";
  const root = document.querySelector("[data-search]");
  if (!root) return;
  const base = root.dataset.base || "/";
  const dir = base + "search-index/";
  const $ = (selector) => root.querySelector(selector);
  const input = $("input[type=search]");
  const status = $("[data-search-status]");
  const results = $("[data-search-results]");
  const topicSelect = $("[data-search-topic]");
  const outletSelect = $("[data-search-outlet]");
  const sortSelect = $("[data-search-sort]");
  const moreButton = $("[data-search-more]");
  const olderButton = $("[data-search-older]");
  const lang = document.documentElement.lang || undefined;
  const plural = new Intl.PluralRules(lang);
  const number = new Intl.NumberFormat(lang);
  const day = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" });
  const PAGE = 20;
  const MAX_PREFIX_LEAVES = 4;
  const WEIGHT = [10, 6, 3, 1];
  // The same stop words and paired characters as src/render/search.rs (a test checks).
  const STOP = new Set("a about after all also an and any are as at be been but by can could did do for from had has have he her his if in into is it its more most no not of on one or our out over said says she so than that the their them then there these they this those to two up was we were what when which who will with would you".split(" "));
  const PAIRED = /[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]/u;

  // A message of the page's, its {names} filled in; `count` picks the plural form.
  const message = (name, values = {}, count) => {
    const data = root.dataset;
    const key = count === undefined ? name
      : name + plural.select(count).replace(/^./, (c) => c.toUpperCase());
    const text = data[key] ?? data[name + "Other"] ?? "";
    return text.replace(/\{(\w+)\}/g, (all, k) => (k in values ? values[k] : all));
  };

  // A run of letters as words: itself, or its other parts and the pairs of its paired parts.
  const splitPaired = (run) => {
    if (!PAIRED.test(run)) return [run];
    const chars = [...run];
    const out = [];
    for (let k = 0; k < chars.length;) {
      const paired = PAIRED.test(chars[k]);
      const start = k;
      while (k < chars.length && PAIRED.test(chars[k]) === paired) k++;
      if (!paired || k - start === 1) out.push(chars.slice(start, k).join(""));
      else for (let j = start; j < k - 1; j++) out.push(chars[j] + chars[j + 1]);
    }
    return out;
  };
  const words = (text) => text.split(/[^\p{Alphabetic}\p{N}]+/u).filter(Boolean).flatMap(splitPaired)
    .filter((w) => { const n = [...w].length; return n > 1 || (n === 1 && PAIRED.test(w)); })
    .map((w) => w.toLowerCase()).filter((w) => !STOP.has(w));

  let manifest = null;
  let leafKeys = [];
  let rounds = 0; // how many times older pieces were asked for
  let shown = PAGE;
  let generation = 0;

  const fetched = new Map();
  const fetchOnce = (path, as) => {
    if (!fetched.has(path)) {
      fetched.set(path, fetch(dir + path).then((r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        return as === "json" ? r.json() : r.arrayBuffer().then((b) => new Uint8Array(b));
      }));
    }
    return fetched.get(path);
  };
  const hex = (key) => [...new TextEncoder().encode(key)].map((b) => b.toString(16).padStart(2, "0")).join("");

  // LEB128 numbers from `bytes` at `at`: calls `each(value)` for each.
  const varints = (bytes, from, to, each) => {
    let value = 0, shift = 0;
    for (let at = from; at < to; at++) {
      const b = bytes[at];
      value += (b & 0x7f) * 2 ** shift;
      if (b & 0x80) { shift += 7; continue; }
      each(value);
      value = 0; shift = 0;
    }
  };
  // A posting list: calls `hit(id, field)` for each article.
  const postings = (bytes, from, to, hit) => {
    let next = 0;
    varints(bytes, from, to, (v) => {
      const id = next + Math.floor(v / 4);
      hit(id, v % 4);
      next = id + 1;
    });
  };
  // The terms of a leaf: [term, from, to] of each list.
  const decoder = new TextDecoder();
  const leafEntries = (bytes) => {
    const out = [];
    let at = 0;
    const read = () => { let v = 0, s = 0, b; do { b = bytes[at++]; v += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80); return v; };
    while (at < bytes.length) {
      const n = read();
      const term = decoder.decode(bytes.subarray(at, at + n));
      at += n;
      const len = read();
      out.push([term, at, at + len]);
      at += len;
    }
    return out;
  };

  // The leaf that holds `term`, or null.
  const leafOf = (term) => {
    if (manifest.leaves[term + "$"] !== undefined) return term + "$";
    const chars = [...term];
    for (let n = chars.length; n > 0; n--) {
      const key = chars.slice(0, n).join("");
      if (manifest.leaves[key] === 0) return key;
    }
    return null;
  };
  // The leaves that hold terms starting with `word` (null: too many to load).
  const leavesFor = (word, prefix) => {
    if (!prefix) { const key = leafOf(word); return key === null ? [] : [key]; }
    const keys = leafKeys.filter((k) => (k.endsWith("$") ? k.slice(0, -1) : k).startsWith(word)
      || (!k.endsWith("$") && word.startsWith(k)));
    return keys.length > MAX_PREFIX_LEAVES ? null : keys;
  };
  // The pieces of long lists loaded now: from `first` to the newest.
  const pieces = () => {
    const n = Math.max(1, Math.ceil(manifest.count / manifest.span));
    const lastSize = manifest.count - (n - 1) * manifest.span;
    const first = Math.max(0, n - 1 - rounds - (lastSize < manifest.span / 2 ? 1 : 0));
    return { first, n };
  };

  // Best weight per article for one word (or filter term); `low`: the lowest id it covers.
  const clause = async (word, prefix) => {
    const keys = leavesFor(word, prefix) ?? leavesFor(word, false);
    const best = new Map();
    let low = 0;
    const matches = (term) => (prefix ? term.startsWith(word) : term === word);
    const hit = (id, field) => { const w = WEIGHT[field]; if ((best.get(id) ?? 0) < w) best.set(id, w); };
    await Promise.all(keys.map(async (key) => {
      if (manifest.leaves[key] === 0) {
        const bytes = await fetchOnce(`t/${hex(key)}.bin`);
        for (const [term, from, to] of leafEntries(bytes)) if (matches(term)) postings(bytes, from, to, hit);
        return;
      }
      if (!matches(key.slice(0, -1))) return;
      const { first, n } = pieces();
      low = Math.max(low, first * manifest.span);
      const parts = [];
      for (let j = first; j < n; j++) parts.push(fetchOnce(`t/${hex(key)}.${j}.bin`));
      for (const bytes of await Promise.all(parts)) postings(bytes, 0, bytes.length, hit);
    }));
    return { best, low };
  };

  const record = async (id) => {
    const per = manifest.records;
    const file = await fetchOnce(`r/${Math.floor(id / per)}.json`, "json");
    return file[id % per];
  };

  const item = ([path, headline, summary, outlet, date, topics, lang]) => {
    const li = document.createElement("li");
    li.className = "item";
    if (lang) li.lang = lang; // (only where it is not the site's language)
    if (topics.length) {
      const kicker = document.createElement("p");
      kicker.className = "kicker";
      kicker.textContent = topics.join(" / ");
      li.append(kicker);
    }
    const h = document.createElement("h2");
    h.className = "item__title";
    const a = document.createElement("a");
    a.href = base + path;
    a.textContent = headline;
    h.append(a);
    li.append(h);
    if (summary) {
      const p = document.createElement("div");
      p.className = "item__summary";
      p.textContent = summary;
      li.append(p);
    }
    const meta = document.createElement("p");
    meta.className = "item__meta";
    if (outlet) {
      const source = document.createElement("span");
      source.className = "item__source";
      source.textContent = outlet;
      meta.append(source, " ");
    }
    const time = document.createElement("time");
    time.dateTime = date;
    time.textContent = day.format(new Date(date + "T00:00:00Z"));
    meta.append(time);
    li.append(meta);
    return li;
  };

  // Runs the query in the box with the filters chosen; `keep`: keep the shown count.
  const run = async (keep) => {
    const mine = ++generation;
    if (!keep) shown = PAGE;
    const query = input.value;
    const wanted = words(query);
    const topic = topicSelect.value, outlet = outletSelect.value;
    const typing = !/\s$/.test(query);
    const clauses = wanted.map((w, n) => clause(w, typing && n === wanted.length - 1));
    const filters = [];
    if (topic) filters.push(clause("#t" + topic, false));
    if (outlet) filters.push(clause("#o" + outlet, false));
    if (!clauses.length && !filters.length) {
      results.textContent = "";
      moreButton.hidden = olderButton.hidden = true;
      status.textContent = query.trim() ? message("msgShort") : "";
      return;
    }
    const all = await Promise.all([...clauses, ...filters]);
    if (mine !== generation) return;
    const low = Math.max(...all.map((c) => c.low));
    let scores = null;
    for (const { best } of all) {
      if (scores === null) { scores = new Map([...best].filter(([id]) => id >= low)); continue; }
      const both = new Map();
      for (const [id, w] of scores) if (best.has(id)) both.set(id, w + best.get(id));
      scores = both;
    }
    const newest = sortSelect.value === "newest";
    const ranked = [...scores].sort((a, b) => (newest ? 0 : b[1] - a[1]) || b[0] - a[0]).map(([id]) => id);
    const page = await Promise.all(ranked.slice(0, shown).map(record));
    if (mine !== generation) return;
    const named = (select) => (select.value ? names.get(select)?.get(select.value) : "");
    const q = query.trim() || [named(topicSelect), named(outletSelect)].filter(Boolean).join(", ");
    const n = number.format(ranked.length);
    let text = ranked.length === 0 ? message("msgNone", { q })
      : clauses.length ? message("msgCount", { n, q }, ranked.length) : message("msgFilter", { n }, ranked.length);
    if (low > 0) text += " " + message("msgPartial", { m: number.format(manifest.count - low) });
    status.textContent = text;
    results.replaceChildren(...page.map(item));
    // For bench/search.sh: when the first results of this page view were shown.
    if (page.length && !performance.getEntriesByName("gazette-search-results").length) {
      performance.mark("gazette-search-results");
    }
    moreButton.hidden = ranked.length <= shown;
    olderButton.hidden = low === 0;
  };

  const update = () => {
    const url = new URL(location.href);
    const params = { q: input.value, topic: topicSelect.value, outlet: outletSelect.value,
      sort: sortSelect.value === "newest" ? "newest" : "" };
    for (const [k, v] of Object.entries(params)) { if (v) url.searchParams.set(k, v); else url.searchParams.delete(k); }
    history.replaceState(null, "", url);
    if (manifest) run(false).catch(failed);
  };
  const failed = (e) => { status.textContent = message("msgError", { error: e.message }); };

  const names = new Map(); // select -> slug -> name
  const options = (select, list, chosen) => {
    names.set(select, new Map(list.map(([name, , slug]) => [slug, name])));
    for (const [name, count, slug] of list) {
      const option = document.createElement("option");
      option.value = slug;
      option.textContent = `${name} (${number.format(count)})`;
      select.append(option);
    }
    if (list.some(([, , slug]) => slug === chosen)) select.value = chosen;
  };

  root.querySelector("form").addEventListener("submit", (e) => { e.preventDefault(); update(); });
  input.addEventListener("input", update);
  for (const select of [topicSelect, outletSelect, sortSelect]) select.addEventListener("change", update);
  moreButton.addEventListener("click", () => { shown += PAGE; run(true).catch(failed); });
  olderButton.addEventListener("click", () => { rounds += 1; run(true).catch(failed); });
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  if (params.get("sort") === "newest") sortSelect.value = "newest";
  status.textContent = message("msgLoading");
  fetchOnce("manifest.json", "json")
    .then((m) => {
      manifest = m;
      leafKeys = Object.keys(m.leaves);
      options(topicSelect, m.topics, params.get("topic"));
      options(outletSelect, m.outlets, params.get("outlet"));
      $("[data-search-filters]").hidden = false;
      status.textContent = "";
      root.dataset.searchReady = "true";
      return run(false);
    })
    .catch(failed);
})();
