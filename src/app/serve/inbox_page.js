(() => {
  const list = document.getElementById("stories");
  const rows = () => [...list.children].filter((r) => !r.hidden);
  const q = document.getElementById("q"), feed = document.getElementById("feed");
  const lang = document.getElementById("lang"), since = document.getElementById("since");
  const picker = document.getElementById("picker"), pick = document.getElementById("pick");
  const count = document.getElementById("count");
  let texts = null;
  let sel = null;
  const select = (row) => {
    if (sel) sel.classList.remove("sel");
    sel = row || null;
    if (sel) { sel.classList.add("sel"); sel.scrollIntoView({ block: "nearest" }); }
  };
  const filter = () => {
    if (!texts) texts = new Map([...list.children].map((r) => [r, r.textContent.toLowerCase()]));
    const words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    const now = Date.now() / 1000, age = Number(since.value);
    for (const r of list.children) {
      const t = texts.get(r);
      r.hidden = !(words.every((w) => t.includes(w))
        && (feed.value === "*" || r.dataset.feeds.split(" ").includes(feed.value))
        && (lang.value === "*" || r.dataset.lang === lang.value)
        && (!age || now - Number(r.dataset.t) <= age));
    }
    const shown = rows();
    count.textContent = shown.length;
    document.getElementById("empty").hidden = shown.length > 0;
    if (!sel || sel.hidden) select(shown[0]);
  };
  for (const el of [q, feed, lang, since]) el.addEventListener("input", filter);
  document.getElementById("filters").addEventListener("submit", (e) => e.preventDefault());
  const move = (step) => {
    const shown = rows();
    const at = shown.indexOf(sel);
    select(shown[Math.max(0, Math.min(shown.length - 1, at + step))]);
  };
  const send = async (action, row, topics) => {
    const body = new URLSearchParams({ token: TOKEN, action, story: row.dataset.id, topics: topics || "" });
    const answer = await fetch(PATH, { method: "POST", body, credentials: "same-origin" });
    const said = await answer.text();
    if (!answer.ok) { alert(said); return null; }
    return said;
  };
  const leave = (row) => {
    const shown = rows();
    const next = shown[shown.indexOf(row) + 1] || shown[shown.indexOf(row) - 1];
    row.remove();
    if (texts) texts.delete(row);
    select(next);
    count.textContent = rows().length;
    document.getElementById("empty").hidden = rows().length > 0;
  };
  const skip = async (row) => { if (await send("skip", row) !== null) leave(row); };
  const openPicker = (row) => {
    const sug = new Set((row.dataset.sug || "").split(" ").filter(Boolean));
    for (const label of document.querySelectorAll("#topics label")) {
      const suggested = sug.has(label.dataset.i);
      label.classList.toggle("sug", suggested);
      label.querySelector("input").checked = suggested;
    }
    document.getElementById("new-topics").value = "";
    picker.returnValue = "";
    picker.showModal();
    (document.querySelector("#topics input") || document.getElementById("new-topics")).focus();
  };
  pick.addEventListener("keydown", (e) => {
    if (e.key === "Enter") { e.preventDefault(); picker.close("draft"); }
  });
  picker.addEventListener("close", async () => {
    if (picker.returnValue !== "draft" || !sel) return;
    const ticked = [...document.querySelectorAll("#topics input:checked")].map((i) => i.value);
    const typed = document.getElementById("new-topics").value.split(",").map((t) => t.trim()).filter(Boolean);
    const row = sel;
    const preview = await send("draft", row, [...ticked, ...typed].join(","));
    if (preview !== null) { leave(row); location.href = preview; }
  });
  list.addEventListener("click", (e) => {
    const row = e.target.closest("li");
    if (row) select(row);
  });
  document.addEventListener("keydown", (e) => {
    if (picker.open || e.ctrlKey || e.metaKey || e.altKey) return;
    if (["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName)) {
      if (e.key === "Escape") document.activeElement.blur();
      return;
    }
    const row = sel;
    switch (e.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "x": if (row) skip(row); break;
      case "d": if (row) openPicker(row); break;
      case "o": if (row) window.open(row.querySelector("a").href, "_blank", "noreferrer"); break;
      case "/": q.focus(); break;
      default: return;
    }
    e.preventDefault();
  });
  select(rows()[0]);
  document.documentElement.dataset.inbox = "ready";
})();
