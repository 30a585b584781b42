// vigil's small amount of JavaScript. No inline scripts anywhere (the Content-Security-Policy forbids them).
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.matches && el.matches("[data-autosubmit]")) el.form.submit();
  });
})();
// Review queue: A accepts, R rejects, S skips (not while typing in a field).
document.addEventListener("keydown", function (e) {
  var form = document.getElementById("decide");
  if (!form || e.ctrlKey || e.metaKey || e.altKey) return;
  var t = e.target;
  if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) return;
  var button = form.querySelector('[data-key="' + e.key.toLowerCase() + '"]');
  if (button) { e.preventDefault(); button.click(); }
});
// Intake: add another name or fact row (a copy of the first, emptied), and choose an existing person.
document.addEventListener("click", function (e) {
  var t = e.target.closest ? e.target.closest("[data-clone], [data-attach]") : null;
  if (!t) return;
  if (t.hasAttribute("data-clone")) {
    var into = document.querySelector(t.getAttribute("data-into"));
    var row = into && into.querySelector(t.getAttribute("data-clone"));
    if (!row) return;
    var copy = row.cloneNode(true);
    copy.querySelectorAll("input").forEach(function (i) { if (i.type !== "hidden") i.value = ""; else i.value = ""; });
    copy.querySelectorAll("select").forEach(function (s) { s.selectedIndex = 0; });
    into.appendChild(copy);
    if (window.htmx) window.htmx.process(copy);
    var first = copy.querySelector("input, select");
    if (first) first.focus();
  } else {
    var field = document.getElementById("attach_to");
    if (!field) return;
    field.value = t.getAttribute("data-attach");
    document.querySelectorAll(".candidates .card").forEach(function (c) { c.classList.remove("chosen"); });
    var card = t.closest(".card");
    if (card) card.classList.add("chosen");
    field.dispatchEvent(new Event("change", { bubbles: true }));
  }
});
// Intake drafts: what is typed is saved (without files) a moment after each change, so a reload loses nothing.
(function () {
  "use strict";
  var timer = null;
  function save(form) {
    var data = new FormData(form);
    data.delete("files");
    fetch(form.getAttribute("data-draft-url"), { method: "POST", body: data, credentials: "same-origin" });
  }
  function schedule(e) {
    var form = e.target.form;
    if (!form || !form.hasAttribute("data-draft-url")) return;
    clearTimeout(timer);
    timer = setTimeout(function () { save(form); }, e.type === "change" ? 200 : 800);
  }
  document.addEventListener("input", schedule);
  document.addEventListener("change", schedule);
})();
