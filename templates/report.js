// comparer report: change navigation (buttons and n/p keys), unchanged-text and view toggles,
// fact filter. No network access, no libraries.
(function () {
  "use strict";
  var changes = Array.prototype.slice.call(document.querySelectorAll(".row.change, .section-change"));
  var pos = -1;
  var label = document.getElementById("change-pos");
  function show(k) {
    if (!changes.length) { return; }
    pos = (k + changes.length) % changes.length;
    changes.forEach(function (c) { c.classList.remove("current"); });
    var el = changes[pos];
    var run = el.closest("details");
    if (run) { run.open = true; }
    el.classList.add("current");
    el.scrollIntoView({ block: "center" });
    el.focus({ preventScroll: true });
    if (label) { label.textContent = "Change " + (pos + 1) + " of " + changes.length; }
  }
  function next() { show(pos + 1); }
  function prev() { show(pos - 1); }
  var nextBtn = document.getElementById("next-change");
  var prevBtn = document.getElementById("prev-change");
  if (nextBtn) { nextBtn.addEventListener("click", next); }
  if (prevBtn) { prevBtn.addEventListener("click", prev); }
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA") || e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (e.key === "n") { next(); e.preventDefault(); }
    if (e.key === "p") { prev(); e.preventDefault(); }
  });
  function toggle(id, cls, onText, offText) {
    var btn = document.getElementById(id);
    if (!btn) { return; }
    btn.addEventListener("click", function () {
      var on = document.body.classList.toggle(cls);
      btn.setAttribute("aria-pressed", on ? "true" : "false");
      btn.textContent = on ? onText : offText;
      if (cls === "show-unchanged") {
        Array.prototype.forEach.call(document.querySelectorAll("details.unchanged-run"), function (d) { d.open = on; });
      }
    });
  }
  toggle("toggle-unchanged", "show-unchanged", "Hide unchanged text", "Show unchanged text");
  toggle("toggle-mode", "inline-mode", "Side-by-side view", "Inline view");
  var filter = document.getElementById("fact-filter");
  if (filter) {
    filter.addEventListener("input", function () {
      var q = filter.value.toLowerCase();
      Array.prototype.forEach.call(document.querySelectorAll(".fact-table tbody tr"), function (tr) {
        tr.hidden = q !== "" && tr.textContent.toLowerCase().indexOf(q) === -1;
      });
    });
  }
}());
