// The timeline page: one selected row at a time, shown in the list, the chart, the detail and the article.
// No network, no libraries: the chart is a static SVG whose marks carry ARIA labels beginning with their event_id.
(function () {
  "use strict";
  var ids = JSON.parse(document.getElementById("timeline-data").textContent).events;
  var buttons = {};
  document.querySelectorAll(".row-button").forEach(function (b) { buttons[b.dataset.id] = b; });
  var marks = {};  // event_id -> chart elements drawing it
  var links = [];  // {el, from, to}
  document.querySelectorAll(".chart [aria-label]").forEach(function (el) {
    var label = el.getAttribute("aria-label");
    var link = /^link (\S+) → (\S+)$/.exec(label);
    if (link) { links.push({ el: el, from: link[1], to: link[2] }); el.dataset.link = link[1]; return; }
    var mark = /^(\S+): /.exec(label);
    if (!mark || !buttons[mark[1]]) { return; }
    var id = mark[1];
    el.dataset.event = id;
    el.setAttribute("tabindex", "0");
    el.setAttribute("role", "button");
    (marks[id] = marks[id] || []).push(el);
    el.addEventListener("click", function () { select(id, true); });
    el.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); select(id, true); }
    });
    el.addEventListener("mouseenter", function () { light(id); });
    el.addEventListener("focus", function () { light(id); });
    el.addEventListener("mouseleave", function () { light(current); });
    el.addEventListener("blur", function () { light(current); });
  });
  var current = null;

  function light(id) {  // brighten the links from or to ID
    links.forEach(function (l) { l.el.classList.toggle("is-lit", id !== null && (l.from === id || l.to === id)); });
  }

  function reveal(el) {  // scroll EL into view inside its scrolling box only: the page itself stays put
    var box = el.closest(".article, ol.rows");
    if (!box) { return; }
    var top = el.offsetTop;  // the boxes are positioned, so this is relative to them
    if (top < box.scrollTop || top + el.offsetHeight > box.scrollTop + box.clientHeight) {
      box.scrollTop = Math.max(0, top - box.clientHeight / 3);
    }
  }

  function select(id, fromOutsideList) {
    if (!buttons[id]) { return; }
    current = id;
    ids.forEach(function (other) {
      var on = other === id;
      buttons[other].setAttribute("aria-pressed", on ? "true" : "false");
      document.getElementById("detail-" + other).hidden = !on;
      (marks[other] || []).forEach(function (el) { el.classList.toggle("is-selected", on); });
    });
    var related = links.filter(function (l) { return l.from === id || l.to === id; });
    Object.keys(marks).forEach(function (other) {
      var isRelated = related.some(function (l) { return other !== id && (l.from === other || l.to === other); });
      marks[other].forEach(function (el) { el.classList.toggle("is-related", isRelated); });
    });
    light(id);
    var first = null;
    document.querySelectorAll("mark.quote").forEach(function (m) {
      var on = m.dataset.ids.split(" ").indexOf(id) !== -1;
      m.classList.toggle("is-current", on);
      if (on && !first) { first = m; }
    });
    if (first) { reveal(first); }
    reveal(buttons[id]);
    if (fromOutsideList) { document.getElementById("detail-" + id).focus({ preventScroll: true }); }
    try { history.replaceState(null, "", "#" + id); } catch (e) { /* some file:// contexts refuse; the hash is a nicety */ }
  }

  Object.keys(buttons).forEach(function (id) {
    var b = buttons[id];
    b.addEventListener("click", function () { select(id, false); });
    b.addEventListener("focus", function () { light(id); });
    b.addEventListener("keydown", function (ev) {
      var step = ev.key === "ArrowDown" ? 1 : ev.key === "ArrowUp" ? -1 : 0;
      if (!step) { return; }
      ev.preventDefault();
      var next = ids[ids.indexOf(id) + step];
      if (next) { buttons[next].focus(); select(next, false); }
    });
  });
  document.querySelectorAll("button.goto").forEach(function (b) {
    b.addEventListener("click", function () { select(b.dataset.id, false); buttons[b.dataset.id].focus(); });
  });
  document.querySelectorAll("mark.quote").forEach(function (m) {
    function pick() {  // a passage quoted by several rows: each activation moves to the next of them
      var its = m.dataset.ids.split(" ");
      var at = its.indexOf(current);
      select(its[at === -1 ? 0 : (at + 1) % its.length], true);
    }
    m.addEventListener("click", pick);
    m.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); pick(); }
    });
  });
  var wanted = location.hash.slice(1);
  select(buttons[wanted] ? wanted : ids[0], false);
})();
