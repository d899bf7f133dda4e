// comparer report: change list with filters, next/previous change (buttons and n/p keys),
// review marks (r, f, c keys; kept in localStorage, exported and imported as JSON), move
// partners highlighted on arrival, unchanged text rendered on demand, fact filter.
// No network access, no libraries.
(function () {
  "use strict";
  function all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function byId(id) { return document.getElementById(id); }

  // Unchanged runs are kept in <template>s and rendered when opened (keeps large pages light).
  function materialize(d) {
    var t = d.querySelector("template");
    if (t) { d.appendChild(t.content.cloneNode(true)); t.parentNode.removeChild(t); }
  }
  all("details.unchanged-run").forEach(function (d) {
    d.addEventListener("toggle", function () { if (d.open) { materialize(d); } });
  });

  // ---- review state ------------------------------------------------------------------------
  var data = {};
  try { data = JSON.parse((byId("review-data") || {}).textContent || "{}"); } catch (e) { data = {}; }
  var storeKey = "comparer-review:" + (data.key || location.pathname);
  var marks = {};
  Object.keys(data.marks || {}).forEach(function (k) { marks[k] = data.marks[k]; });
  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(storeKey) || "null");
      if (saved && saved.marks) { Object.keys(saved.marks).forEach(function (k) { marks[k] = saved.marks[k]; }); }
    } catch (e) { /* storage unavailable: marks live for this visit only */ }
  }
  function save() {
    try { window.localStorage.setItem(storeKey, JSON.stringify({ marks: marks })); } catch (e) { /* see load */ }
  }
  load();
  var newOption = byId("state-new");
  if (newOption && !data.carried) { newOption.parentNode.removeChild(newOption); }  // no earlier review
  var seen = {};
  (data.seen || []).forEach(function (k) { seen[k] = true; });
  function stateOf(cid) { var m = marks[cid]; return m && m.state ? m.state : ""; }

  var changes = all(".row.change, .section-change");
  var items = all("#change-list li");
  var itemOf = {};
  items.forEach(function (li) { itemOf[li.getAttribute("data-cid")] = li; });
  var cids = changes.map(function (c) { return c.getAttribute("data-cid"); });

  function paint(cid) {
    var state = stateOf(cid), note = (marks[cid] && marks[cid].note) || "";
    var el = byId("change-" + cid);
    if (el) {
      el.classList.toggle("is-reviewed", state === "reviewed");
      el.classList.toggle("is-flagged", state === "flagged");
      all(".rv", el).forEach(function (rv) {
        if (rv.getAttribute("data-cid") !== cid) { return; }
        rv.querySelector(".rv-ok").setAttribute("aria-pressed", state === "reviewed" ? "true" : "false");
        rv.querySelector(".rv-flag").setAttribute("aria-pressed", state === "flagged" ? "true" : "false");
        var p = rv.querySelector(".rv-note");
        p.textContent = note ? "Note: " + note : "";
        p.hidden = !note;
      });
    }
    var li = itemOf[cid];
    if (li) {
      li.setAttribute("data-state", state);
      li.querySelector(".cl-state").textContent = state === "reviewed" ? " ✓ reviewed" : state === "flagged" ? " ⚑ flagged" : "";
    }
  }
  function status() {
    var n = { reviewed: 0, flagged: 0 };
    cids.forEach(function (c) { var s = stateOf(c); if (s) { n[s] += 1; } });
    var el = byId("review-status");
    if (el) { el.textContent = n.reviewed + " reviewed · " + n.flagged + " flagged · " + (cids.length - n.reviewed - n.flagged) + " open"; }
    syncToolbar();
  }
  function setMark(cid, state, note) {
    var old = marks[cid] || { state: "", note: "" };
    marks[cid] = { state: state, note: note === undefined ? old.note || "" : note };
    save(); paint(cid); status(); applyFilters();
  }
  function toggleMark(cid, state) { setMark(cid, stateOf(cid) === state ? "" : state); }
  function editNote(cid) {
    var el = byId("change-" + cid);
    if (!el || el.querySelector(".rv-edit")) { return; }
    var rv = el.querySelector(".rv");
    var box = document.createElement("div");
    box.className = "rv-edit";
    var area = document.createElement("textarea");
    area.setAttribute("aria-label", "Note on this change");
    area.rows = 2;
    area.value = (marks[cid] && marks[cid].note) || "";
    var ok = document.createElement("button");
    ok.type = "button"; ok.textContent = "Save note";
    ok.addEventListener("click", function () {
      var text = area.value.trim();
      setMark(cid, stateOf(cid) || (text ? "flagged" : ""), text);
      box.parentNode.removeChild(box);
    });
    box.appendChild(area); box.appendChild(ok);
    rv.parentNode.insertBefore(box, rv.nextSibling);
    area.focus();
  }
  all(".rv").forEach(function (rv) {
    var cid = rv.getAttribute("data-cid");
    rv.querySelector(".rv-ok").addEventListener("click", function () { toggleMark(cid, "reviewed"); });
    rv.querySelector(".rv-flag").addEventListener("click", function () { toggleMark(cid, "flagged"); });
    rv.querySelector(".rv-note-btn").addEventListener("click", function () { editNote(cid); });
  });
  function exportText() {
    var out = {};
    cids.slice().sort().forEach(function (c) { if (stateOf(c)) { out[c] = { state: stateOf(c), note: marks[c].note || "" }; } });
    return JSON.stringify({ schema: "comparer/review@1", comparison: data.key || "", marks: out, seen: cids.slice().sort() }, null, 2) + "\n";
  }
  function importText(text) {
    var doc = JSON.parse(text);
    if (!doc || doc.schema !== "comparer/review@1" || typeof doc.marks !== "object") { throw new Error("not a comparer review file"); }
    Object.keys(doc.marks).forEach(function (k) {
      var m = doc.marks[k];
      if (m && (m.state === "reviewed" || m.state === "flagged")) { marks[k] = { state: m.state, note: String(m.note || "") }; }
    });
    save(); cids.forEach(paint); status(); applyFilters();
  }
  window.comparerReview = { exportText: exportText, importText: importText };
  var exp = byId("review-export");
  if (exp) {
    exp.addEventListener("click", function () {
      exp.href = "data:application/json;charset=utf-8," + encodeURIComponent(exportText());
    });
  }
  var imp = byId("review-import");
  if (imp) {
    imp.addEventListener("change", function () {
      var file = imp.files && imp.files[0];
      if (!file) { return; }
      var reader = new FileReader();
      reader.onload = function () {
        try { importText(String(reader.result)); } catch (e) { byId("review-status").textContent = "Import failed: " + e.message; }
      };
      reader.readAsText(file);
    });
  }

  // ---- change list filters -----------------------------------------------------------------
  var boxes = all(".kind-box");
  var topicSel = byId("topic-filter"), stateSel = byId("state-filter");
  function wanted(li) {
    var kinds = li.getAttribute("data-kinds").split(" ");
    var on = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    if (!kinds.some(function (k) { return on.indexOf(k) !== -1; })) { return false; }
    if (topicSel && topicSel.value && li.getAttribute("data-topic") !== topicSel.value) { return false; }
    var cid = li.getAttribute("data-cid"), want = stateSel ? stateSel.value : "", state = stateOf(cid);
    if (want === "open") { return !state; }
    if (want === "new") { return !seen[cid] && !state; }
    return !want || state === want;
  }
  function applyFilters() {
    var shown = 0;
    items.forEach(function (li) { li.hidden = !wanted(li); if (!li.hidden) { shown += 1; } });
    var count = byId("list-count");
    if (count) { count.textContent = shown === items.length ? items.length + " changes" : shown + " of " + items.length + " changes shown"; }
  }
  boxes.concat(topicSel ? [topicSel] : [], stateSel ? [stateSel] : []).forEach(function (el) {
    el.addEventListener("change", applyFilters);
  });

  // ---- next / previous (over the changes the list shows) -----------------------------------
  var pos = -1;
  var label = byId("change-pos");
  function navigable() {
    return changes.filter(function (c) { var li = itemOf[c.getAttribute("data-cid")]; return !li || !li.hidden; });
  }
  function makeCurrent(el) {
    changes.forEach(function (c) { c.classList.remove("current"); });
    el.classList.add("current");
    pos = changes.indexOf(el);
    var nav = navigable();
    if (label) { label.textContent = "Change " + (nav.indexOf(el) + 1) + " of " + nav.length; }
    syncToolbar();
  }
  function step(delta) {
    var nav = navigable();
    if (!nav.length) { return; }
    var el;
    var k = pos >= 0 ? nav.indexOf(changes[pos]) : -1;
    if (k !== -1 || pos < 0) {
      el = nav[(k + delta + nav.length + (k === -1 && delta < 0 ? 1 : 0)) % nav.length];
    } else {  // the current change is filtered out: the nearest shown one in that direction
      var ahead = nav.filter(function (c) { return delta > 0 ? changes.indexOf(c) > pos : changes.indexOf(c) < pos; });
      el = ahead.length ? ahead[delta > 0 ? 0 : ahead.length - 1] : nav[delta > 0 ? 0 : nav.length - 1];
    }
    makeCurrent(el);
    el.scrollIntoView({ block: "start" });
    el.focus({ preventScroll: true });
  }
  function current() { return pos >= 0 ? changes[pos].getAttribute("data-cid") : null; }
  function syncToolbar() {
    var cid = current();
    var rb = byId("mark-reviewed"), fb = byId("mark-flagged");
    if (rb) { rb.setAttribute("aria-pressed", cid && stateOf(cid) === "reviewed" ? "true" : "false"); }
    if (fb) { fb.setAttribute("aria-pressed", cid && stateOf(cid) === "flagged" ? "true" : "false"); }
  }
  function onCurrent(fn) { return function () { if (current() === null) { step(1); } var c = current(); if (c) { fn(c); } }; }
  var actions = {
    n: function () { step(1); },
    p: function () { step(-1); },
    r: onCurrent(function (c) { toggleMark(c, "reviewed"); }),
    f: onCurrent(function (c) { toggleMark(c, "flagged"); }),
    c: onCurrent(editNote)
  };
  [["next-change", "n"], ["prev-change", "p"], ["mark-reviewed", "r"], ["mark-flagged", "f"], ["mark-note", "c"]].forEach(function (pair) {
    var btn = byId(pair[0]);
    if (btn) { btn.addEventListener("click", actions[pair[1]]); }
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.tagName === "TEXTAREA" || t.tagName === "SELECT" || (t.tagName === "INPUT" && t.type !== "checkbox"));
    if (typing || e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (Object.prototype.hasOwnProperty.call(actions, e.key)) { actions[e.key](); e.preventDefault(); }
  });

  // ---- arrival: open what hides the target, highlight both ends of a move -------------------
  function arrive() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id ? byId(id) : null;
    if (!el) { return; }
    all(".arrived").forEach(function (a) { a.classList.remove("arrived"); });
    el.classList.add("arrived");
    var partner = el.getAttribute("data-partner");
    if (partner && byId(partner)) { byId(partner).classList.add("arrived"); }
    if (changes.indexOf(el) !== -1) { makeCurrent(el); }
    else if (partner && changes.indexOf(byId(partner)) !== -1) { makeCurrent(byId(partner)); }  // where moved text was
  }
  window.addEventListener("hashchange", arrive);

  function toggle(id, cls, onText, offText) {
    var btn = byId(id);
    if (!btn) { return; }
    btn.addEventListener("click", function () {
      var on = document.body.classList.toggle(cls);
      btn.setAttribute("aria-pressed", on ? "true" : "false");
      btn.textContent = on ? onText : offText;
      if (cls === "show-unchanged") {
        all("details.unchanged-run").forEach(function (d) { if (on) { materialize(d); } d.open = on; });
      }
    });
  }
  toggle("toggle-unchanged", "show-unchanged", "Hide unchanged text", "Show unchanged text");
  toggle("toggle-mode", "inline-mode", "Side-by-side view", "Inline view");
  var filter = byId("fact-filter");
  if (filter) {
    filter.addEventListener("input", function () {
      var q = filter.value.toLowerCase();
      all(".fact-table tbody tr").forEach(function (tr) {
        tr.hidden = q !== "" && tr.textContent.toLowerCase().indexOf(q) === -1;
      });
    });
  }
  cids.forEach(paint);
  status();
  applyFilters();
  arrive();
}());
