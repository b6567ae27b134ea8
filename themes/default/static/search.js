// Gazette's search page: loads search-index.json (see src/search.rs for its format) from
// the site's base path and lists the articles that hold every word typed, best first:
// a word in the headline counts most, then in the topics, the summary, the text; ties go
// to the newer article. Runs offline; requests nothing from other hosts.
(() => {
  "use strict";
  const root = document.querySelector("[data-search]");
  if (!root) return;
  const base = root.dataset.base || "/";
  const input = root.querySelector("input[type=search]");
  const status = root.querySelector("[data-search-status]");
  const results = root.querySelector("[data-search-results]");
  const LIMIT = 50;
  const WEIGHT = { title: 10, topic: 6, summary: 3, body: 1 };
  // The same stop words as src/search.rs.
  const STOP = new Set(("a about after all also an and any are as at be been but by can could did do for from had " +
    "has have he her his if in into is it its more most no not of on one or our out over said says she so than " +
    "that the their them then there these they this those to two up was we were what when which who will with " +
    "would you").split(" "));
  const words = (text) =>
    text.split(/[^\p{L}\p{N}]+/u).filter((w) => [...w].length > 1).map((w) => w.toLowerCase()).filter((w) => !STOP.has(w));

  let docs = null;
  let terms = null;
  let termList = null;

  const decode = (list) => {
    const ids = [];
    let last = 0;
    if (!list) return ids;
    for (const gap of list.split(",")) {
      last += parseInt(gap, 36);
      ids.push(last);
    }
    return ids;
  };

  // Best weight per document for one query word (`prefix`: the word being typed).
  const match = (word, prefix) => {
    const best = new Map();
    const hit = (id, w) => { if ((best.get(id) || 0) < w) best.set(id, w); };
    const same = (t) => (prefix ? t.startsWith(word) : t === word);
    docs.forEach((d, id) => {
      if (d.title.some(same)) hit(id, WEIGHT.title);
      else if (d.topicWords.some(same)) hit(id, WEIGHT.topic);
    });
    const keys = prefix ? termList.filter((t) => t.startsWith(word)) : (terms[word] === undefined ? [] : [word]);
    for (const key of keys) {
      const [summary, body] = terms[key].split("|");
      for (const id of decode(summary)) hit(id, WEIGHT.summary);
      for (const id of decode(body)) hit(id, WEIGHT.body);
    }
    return best;
  };

  const show = (query) => {
    results.textContent = "";
    const wanted = words(query);
    if (!wanted.length) {
      status.textContent = query.trim() ? "Type a longer word." : "";
      return;
    }
    const typing = !/\s$/.test(query);
    let scores = null;
    wanted.forEach((word, n) => {
      const best = match(word, typing && n === wanted.length - 1);
      if (scores === null) {
        scores = best;
        return;
      }
      const both = new Map();
      for (const [id, w] of best) if (scores.has(id)) both.set(id, scores.get(id) + w);
      scores = both;
    });
    const ranked = [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    status.textContent = ranked.length === 0 ? `No article matches “${query.trim()}”.`
      : `${ranked.length} article${ranked.length === 1 ? "" : "s"} match “${query.trim()}”` +
        (ranked.length > LIMIT ? `; the best ${LIMIT} are shown.` : ".");
    for (const [id] of ranked.slice(0, LIMIT)) {
      const d = docs[id];
      const li = document.createElement("li");
      li.className = "item";
      if (d.topics.length) {
        const kicker = document.createElement("p");
        kicker.className = "kicker";
        kicker.textContent = d.topics.join(" / ");
        li.append(kicker);
      }
      const h = document.createElement("h2");
      h.className = "item__title";
      const a = document.createElement("a");
      a.href = base + d.path;
      a.textContent = d.headline;
      h.append(a);
      const meta = document.createElement("p");
      meta.className = "item__meta";
      const time = document.createElement("time");
      time.dateTime = d.date;
      time.textContent = d.date;
      meta.append(time);
      li.append(h, meta);
      results.append(li);
    }
  };

  const update = () => {
    const query = input.value;
    const url = new URL(location.href);
    if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    if (docs) show(query);
  };

  root.querySelector("form").addEventListener("submit", (e) => { e.preventDefault(); update(); });
  input.addEventListener("input", update);
  input.value = new URLSearchParams(location.search).get("q") || "";
  status.textContent = "Loading the index…";
  fetch(base + "search-index.json")
    .then((r) => { if (!r.ok) throw new Error(`HTTP ${r.status}`); return r.json(); })
    .then((index) => {
      docs = index.docs.map(([path, headline, date, topicIds]) => {
        const topics = topicIds.map((t) => index.topics[t]);
        return { path, headline, date, topics, title: words(headline), topicWords: words(topics.join(" ")) };
      });
      terms = index.terms;
      termList = Object.keys(terms);
      status.textContent = "";
      root.dataset.searchReady = "true";
      show(input.value);
    })
    .catch((e) => { status.textContent = `The search index could not be loaded (${e.message}).`; });
})();
