/**
 * The part of the page script (chart-script.ts) that writes the charts' text: step and end-of-
 * routes markers, SLO threshold lines with their labels, and the labels of fault, mirror and A/B
 * shading. They are DOM elements over the plot (class chart-note, and chart-rule for a threshold
 * line), not canvas text, so they stay crisp, print, and can be measured: the browser tests check
 * that no two of them overlap at phone and desktop widths. Plain ES2020, inlined in the page
 * script's IIFE; it uses that script's `data`, `px` and colours.
 */

/** Script text: declares `NOTE_BAND` and `drawNotes(u, limits)`. */
export const NOTES_SCRIPT = String.raw`
  // Label rows above the plotting area (uPlot's top padding), so marker labels never sit on data.
  var NOTE_ROW = 15, NOTE_BAND = 2 * NOTE_ROW;
  function clear(a, b) { return a.x + a.w + 2 <= b.x || b.x + b.w + 2 <= a.x || a.y + a.h + 1 <= b.y || b.y + b.h + 1 <= a.y; }
  // Adds a note at the first candidate position (in CSS px over the plotting area) that stays in
  // the chart and clear of what is already placed; the last candidate when none is.
  function note(layer, taken, area, kind, text, candidates) {
    var el = document.createElement('span');
    el.className = 'chart-note ' + kind;
    el.textContent = text;
    layer.appendChild(el);
    var r = el.getBoundingClientRect(), w = Math.ceil(r.width), h = Math.ceil(r.height);
    var all = candidates(w, h), box = null;
    for (var i = 0; i < all.length && !box; i++) {
      var c = { x: Math.round(all[i].x), y: Math.round(all[i].y), w: w, h: h };
      var inside = c.x >= 0 && c.x + w <= area.w && c.y >= -NOTE_BAND && c.y + h <= area.h;
      if (inside && taken.every(function (t) { return clear(c, t); })) box = c;
    }
    box = box || { x: Math.round(all[all.length - 1].x), y: Math.round(all[all.length - 1].y), w: w, h: h };
    el.style.left = box.x + 'px';
    el.style.top = box.y + 'px';
    taken.push(box);
  }
  // Rows of label positions beside a vertical line at x: the band's rows first, then down the plot.
  function besideLine(area, x) {
    return function (w, h) {
      var out = [], right = x + 3 + w > area.w;
      for (var y = -NOTE_BAND + 1; y + h <= area.h; y += NOTE_ROW) {
        var after = { x: x + 3, y: y }, before = { x: x - 3 - w, y: y };
        out.push(right ? before : after, right ? after : before);
      }
      return out;
    };
  }
  // Below a threshold line at the right, else above it (inside the plot: the band is the
  // markers'); then the same further left.
  function byRule(area, y0) {
    return function (w, h) {
      var out = [];
      for (var x = area.w - 4 - w; x >= 0; x -= w + 8) {
        out.push({ x: x, y: y0 + 2 });
        if (y0 - 2 - h >= 0) out.push({ x: x, y: y0 - 2 - h });
      }
      return out.length ? out : [{ x: 0, y: y0 + 2 }];
    };
  }
  // Rows up from the bottom of the plot, starting at the shading's left edge.
  function inShade(area, x) {
    return function (w, h) {
      var out = [], left = Math.max(0, Math.min(x + 4, area.w - w));
      for (var y = area.h - h - 2; y >= -NOTE_BAND; y -= NOTE_ROW) out.push({ x: left, y: y });
      return out;
    };
  }
  function drawNotes(u, limits) {
    var layer = u.over.querySelector('.chart-notes');
    if (!layer) { layer = document.createElement('div'); layer.className = 'chart-notes'; u.over.appendChild(layer); }
    layer.textContent = '';
    var area = { w: u.bbox.width / px, h: u.bbox.height / px }, taken = [];
    var x = function (t) { return Math.round(u.valToPos(t, 'x')); };
    limits.forEach(function (l) {
      var y = Math.round(u.valToPos(l.value, 'y')), rule = document.createElement('div');
      rule.className = 'chart-rule';
      rule.style.top = y + 'px';
      layer.appendChild(rule);
      taken.push({ x: 0, y: y - 1, w: area.w, h: 2 });
    });
    limits.forEach(function (l) { note(layer, taken, area, 'limit', l.label, byRule(area, Math.round(u.valToPos(l.value, 'y')))); });
    var lines = data.steps.map(function (s) { return { at: s.at, kind: 'step', label: 'step ' + s.n }; })
      .concat(data.marks.map(function (m) { return { at: m.at, kind: 'mark', label: m.label }; }))
      .sort(function (a, b) { return a.at - b.at; });
    lines.forEach(function (l) { note(layer, taken, area, l.kind, l.label, besideLine(area, x(l.at))); });
    data.changes.forEach(function (ch) { note(layer, taken, area, 'change', ch.label, inShade(area, x(ch.from))); });
  }
`;
