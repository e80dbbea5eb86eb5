// The page's only script: the trace waterfall. Rows are virtual (only those in view exist in the
// DOM), so a run of thousands of spans opens and scrolls fast. Text goes in through textContent only.
// Kept free of backticks and dollar-brace so it can live in this template string.
export const WATERFALL_SCRIPT = String.raw`
(function () {
  "use strict";
  var t0 = performance.now();
  var data = JSON.parse(document.getElementById("nixotel-data").textContent);
  var spans = data.spans, n = spans.length, total = data.endMs || 1, ROW = 24;
  var kids = [], roots = [], i;
  for (i = 0; i < n; i++) kids.push([]);
  for (i = 0; i < n; i++) (spans[i].p < 0 ? roots : kids[spans[i].p]).push(i);
  var open = new Uint8Array(n);
  // Small runs open fully; large ones show their checks, and open the failed ones.
  for (i = 0; i < n; i++) open[i] = n <= 1500 || spans[i].d < 1 || (spans[i].r === "check" && spans[i].f & 1) ? 1 : 0;
  var body = document.getElementById("wf-body"), rows = document.getElementById("wf-rows");
  var axis = document.getElementById("wf-axis"), grid = document.getElementById("wf-grid");
  var filterBox = document.getElementById("wf-filter"), failOnly = document.getElementById("wf-failed");
  var details = document.getElementById("wf-details"), count = document.getElementById("wf-count");
  var visible = [], selected = -1;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function fmt(ms) {
    if (ms < 1) return ms.toFixed(2) + "ms";
    if (ms < 1000) return Math.round(ms) + "ms";
    if (ms < 60000) return (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + "s";
    var s = Math.round(ms / 1000);
    return Math.floor(s / 60) + "m " + ("0" + (s % 60)).slice(-2) + "s";
  }
  function pct(ms) { return Math.max(0, Math.min(100, (ms / total) * 100)); }

  // Which spans the filter keeps: a match, or an ancestor of one (so the path stays visible).
  function kept() {
    var text = filterBox.value.trim().toLowerCase(), failed = failOnly.checked;
    if (!text && !failed) return null;
    var keep = new Uint8Array(n);
    for (var j = n - 1; j >= 0; j--) {
      var s = spans[j];
      if ((!text || s.n.toLowerCase().indexOf(text) >= 0) && (!failed || (s.f & 1))) keep[j] = 1;
      if (keep[j] && s.p >= 0) keep[s.p] = 1;
    }
    return keep;
  }
  function flatten() {
    var keep = kept(), stack = roots.slice().reverse();
    visible = [];
    while (stack.length) {
      var j = stack.pop();
      if (keep && !keep[j]) continue;
      visible.push(j);
      if (keep || open[j]) for (var k = kids[j].length - 1; k >= 0; k--) stack.push(kids[j][k]);
    }
    rows.style.height = visible.length * ROW + "px";
    grid.style.height = visible.length * ROW + "px";
    count.textContent = visible.length + " of " + n + " spans shown";
  }

  function row(j, index) {
    var s = spans[j], r = el("div", "wf-row role-" + s.r + (s.f & 1 ? " failed" : "") + (s.f & 2 ? " shifted" : "") + (s.f & 4 ? " cached" : "") + (j === selected ? " selected" : ""));
    r.style.top = index * ROW + "px";
    r.setAttribute("data-span", String(j));
    r.title = s.n + " \u2014 " + fmt(s.e - s.s) + " at +" + fmt(s.s) + (s.f & 2 ? " (recorded by an earlier build, moved under its parent)" : "");
    var name = el("div", "wf-name");
    name.style.paddingLeft = 6 + s.d * 14 + "px";
    var toggle = el("span", "wf-toggle", kids[j].length ? (open[j] ? "\u25be" : "\u25b8") : "");
    toggle.setAttribute("data-toggle", String(j));
    name.appendChild(toggle);
    name.appendChild(el("span", "wf-dot"));
    name.appendChild(el("span", "wf-label", s.n));
    var track = el("div", "wf-track"), left = pct(s.s), width = Math.max(pct(s.e) - left, 0.05);
    var bar = el("div", "wf-bar");
    bar.style.left = left.toFixed(3) + "%";
    bar.style.width = width.toFixed(3) + "%";
    for (var k = 0; k < s.v.length; k++) {
      var tick = el("span", "wf-tick");
      tick.style.left = pct(s.v[k][1]).toFixed(3) + "%";
      tick.title = s.v[k][0] + " at +" + fmt(s.v[k][1]);
      track.appendChild(tick);
    }
    var label = el("span", "wf-dur", fmt(s.e - s.s));
    if (left + width < 82) label.style.left = "calc(" + (left + width).toFixed(3) + "% + 6px)";
    else if (width > 12) { label.style.right = "calc(" + (100 - left - width).toFixed(3) + "% + 6px)"; label.className += " inside"; }
    else label.style.right = "calc(" + (100 - left).toFixed(3) + "% + 6px)";
    track.appendChild(bar);
    track.appendChild(label);
    r.appendChild(name);
    r.appendChild(track);
    return r;
  }

  function render() {
    var first = Math.max(0, Math.floor(body.scrollTop / ROW) - 10);
    var last = Math.min(visible.length, first + Math.ceil((body.clientHeight || 600) / ROW) + 20);
    var frag = document.createDocumentFragment();
    for (var index = first; index < last; index++) frag.appendChild(row(visible[index], index));
    rows.textContent = "";
    rows.appendChild(frag);
  }
  function refresh() { flatten(); render(); }

  var STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 144e5];
  function niceStep(span) {
    for (var k = 0; k < STEPS.length; k++) if (STEPS[k] >= span / 8) return STEPS[k];
    return STEPS[STEPS.length - 1];
  }
  function drawAxis() {
    var step = niceStep(total);
    for (var t = 0; t <= total + 1e-9; t += step) {
      var x = pct(t).toFixed(3) + "%";
      var mark = el("span", "wf-axis-mark", t ? fmt(t) : "0");
      mark.style.left = x;
      axis.appendChild(mark);
      var line = el("div", "wf-grid-line");
      line.style.left = x;
      grid.appendChild(line);
    }
  }

  function showDetails(j) {
    var s = spans[j];
    details.textContent = "";
    details.hidden = false;
    details.appendChild(el("h3", null, s.n));
    var facts = [["role", s.r], ["duration", fmt(s.e - s.s)], ["starts at", "+" + fmt(s.s)], ["status", s.f & 1 ? "error" + (s.m ? ": " + s.m : "") : "ok / unset"]];
    if (s.f & 2) facts.push(["note", "recorded by an earlier (cached) build; shown from the start of its parent"]);
    var table = el("table", "kv");
    facts.concat(s.a).forEach(function (pair) {
      var tr = el("tr");
      tr.appendChild(el("th", null, pair[0]));
      tr.appendChild(el("td", null, pair[1]));
      table.appendChild(tr);
    });
    details.appendChild(table);
    if (s.v.length) {
      var list = el("ul", "events");
      s.v.forEach(function (ev) { list.appendChild(el("li", null, ev[0] + " at +" + fmt(ev[1]))); });
      details.appendChild(list);
    }
  }

  rows.addEventListener("click", function (event) {
    var target = event.target, toggle = target.closest("[data-toggle]"), r = target.closest("[data-span]");
    if (toggle && toggle.textContent) {
      var j = Number(toggle.getAttribute("data-toggle"));
      open[j] = open[j] ? 0 : 1;
      refresh();
    } else if (r) {
      selected = Number(r.getAttribute("data-span"));
      showDetails(selected);
      render();
    }
  });
  function setAll(value) { for (var j = 0; j < n; j++) open[j] = value; if (!value) for (var k = 0; k < roots.length; k++) open[roots[k]] = 1; refresh(); }
  document.getElementById("wf-expand").addEventListener("click", function () { setAll(1); });
  document.getElementById("wf-collapse").addEventListener("click", function () { setAll(0); });
  filterBox.addEventListener("input", refresh);
  failOnly.addEventListener("change", refresh);
  var pending = false;
  body.addEventListener("scroll", function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; render(); });
  });
  window.addEventListener("resize", render);

  drawAxis();
  refresh();
  document.body.setAttribute("data-render-ms", (performance.now() - t0).toFixed(1));
})();
`;
