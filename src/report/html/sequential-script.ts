/**
 * The part of the page script (chart-script.ts) that draws the sequential-analysis charts from
 * the embedded `sequential-data` (sequential-data.ts): per test, the confidence sequence as a
 * band (lower/upper against time) with the no-difference line and the margin, and the e-value on
 * a log scale with the bound 1/α and a marker where the decision was reached. Lines and labels are
 * the same DOM notes as the run charts' (chart-notes.ts), so they print and never overlap. Plain
 * ES2020, pasted into the page script's IIFE; it uses that script's `charts`, colours, `px`,
 * `clock`, `legendValue`, `note`, `byRule`, `besideLine` and `NOTE_BAND`.
 */

/** Script text: draws every test of `#sequential-data` into its boxes (`<id>-cs`, `<id>-e`). */
export const SEQUENTIAL_SCRIPT = String.raw`
  var seqData = document.getElementById('sequential-data');
  var seqCharts = seqData ? JSON.parse(seqData.textContent) : [];
  function stepTime(t) { return t < 60 ? (Math.round(t * 10) / 10) + ' s' : clock(t); }
  function eText(n) {
    if (n === null || n === undefined) return '';
    if (n >= 1e4 || n < 1e-2) return n.toExponential(0).replace('e+', 'e');
    return String(Number(n.toPrecision(3)));
  }
  // As sequential-text.ts's formatBound, shorter for an axis.
  function csText(style) {
    return function (n) {
      if (n === null || n === undefined) return '';
      var p = (100 * Math.abs(n)).toFixed(Math.abs(n) < 0.1 ? 1 : 0), sign = n < 0 ? '−' : n > 0 && style !== 'percent' ? '+' : '';
      return style === 'points' ? sign + p + 'pp' : style === 'percent' || style === 'change' ? sign + p + '%' : String(Number(n.toPrecision(3)));
    };
  }
  // Above a line at the left, else below it: where an e-value, which starts at 1, is seldom yet.
  function leftOfRule(area, y0) {
    return function (w, h) { return [{ x: 4, y: y0 - 2 - h }, { x: 4, y: y0 + 2 }]; };
  }
  // Threshold-like lines (DOM, as the run charts' SLO lines) and the crossing: a dashed vertical
  // line with its label in the band above the plot, and on the e-value chart a dot where it crossed.
  function seqOverlay(rules, crossing, dot) {
    return { draw: [function (u) {
      var layer = u.over.querySelector('.chart-notes');
      if (!layer) { layer = document.createElement('div'); layer.className = 'chart-notes'; u.over.appendChild(layer); }
      layer.textContent = '';
      var area = { w: u.bbox.width / px, h: u.bbox.height / px }, taken = [], shown = [];
      rules.forEach(function (r) {
        var y = Math.round(u.valToPos(r.value, 'y'));
        if (!(y >= 0 && y <= area.h)) return;
        var el = document.createElement('div');
        el.className = 'chart-rule ' + r.kind;
        el.style.top = y + 'px';
        layer.appendChild(el);
        taken.push({ x: 0, y: y - 1, w: area.w, h: 2 });
        shown.push({ y: y, r: r });
      });
      shown.forEach(function (s) { note(layer, taken, area, s.r.kind === 'zero' ? 'zero' : 'limit', s.r.label, (s.r.left ? leftOfRule : byRule)(area, s.y)); });
      if (!crossing) return;
      var c = u.ctx, b = u.bbox, x = Math.round(u.valToPos(crossing.t, 'x', true));
      c.save();
      c.strokeStyle = fg; c.lineWidth = px; c.setLineDash([4 * px, 4 * px]);
      c.beginPath(); c.moveTo(x, b.top - NOTE_BAND * px); c.lineTo(x, b.top + b.height); c.stroke();
      if (dot) {
        c.setLineDash([]); c.fillStyle = fg; c.beginPath();
        c.arc(x, u.valToPos(crossing.e, 'y', true), 4 * px, 0, 2 * Math.PI); c.fill();
      }
      c.restore();
      note(layer, taken, area, 'mark', crossing.label, besideLine(area, Math.round(u.valToPos(crossing.t, 'x'))));
    }] };
  }
  // Ticks and grid lines at powers of ten only, at most about six of them, however many decades.
  function decades(u, ai, min, max) {
    var lo = Math.round(Math.log10(min)), hi = Math.round(Math.log10(max)), step = Math.max(1, Math.ceil((hi - lo) / 6)), out = [];
    for (var k = lo; k <= hi; k += step) out.push(Math.pow(10, k));
    return out;
  }
  function seqPlot(el, s, series, columns, y, format, unit, rules, dot, bands, ySplits) {
    el.textContent = '';
    var common = { stroke: fg, grid: { stroke: line, width: 1 }, ticks: { stroke: line, width: 1 } };
    var opts = {
      width: Math.max(240, el.clientWidth), height: 200,
      scales: { x: { time: false, range: [0, s.end] }, y: y },
      axes: [
        Object.assign({ incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200], values: function (u, vals) { return vals.map(stepTime); } }, common),
        Object.assign({ label: unit, size: 64, values: function (u, vals) { return vals.map(format); } }, ySplits ? { splits: ySplits, filter: function (u, splits) { return splits; } } : {}, common),
      ],
      series: [{ label: 'step time', value: function (u, t, si, i) { return i === null || i === undefined ? 'last look' : stepTime(t); } }].concat(series.map(function (x) {
        return Object.assign(s.t.length === 1 ? { points: { show: true, size: 7 } } : {}, x);
      })),
      bands: bands || [], padding: [NOTE_BAND, null, null, null], cursor: { sync: { key: s.id } }, legend: { live: true },
      hooks: seqOverlay(rules, s.crossing, dot),
    };
    charts.push({ el: el, u: new uPlot(opts, [s.t].concat(columns), el) });
  }
  function csChart(el, s) {
    var fmt = csText(s.style), fill = palette.canary + '33';
    var rules = [{ value: s.reference.value, kind: 'zero', label: s.reference.label }];
    if (s.margin !== null) rules.push({ value: s.margin, kind: 'margin', label: 'margin ' + fmt(s.margin) });
    var fixed = rules.map(function (r) { return r.value; });
    var range = function (u, min, max) {
      var lo = Math.min.apply(null, fixed.concat([min === null ? fixed[0] : min])), hi = Math.max.apply(null, fixed.concat([max === null ? fixed[0] : max]));
      var pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 0.01;
      return [lo - pad, hi + pad];
    };
    seqPlot(el, s, [
      { label: 'lower', stroke: palette.canary, width: 1.25, value: legendValue(fmt) },
      { label: 'upper', stroke: palette.canary, width: 1.25, value: legendValue(fmt) },
    ], [s.lower, s.upper], { range: range }, fmt, { points: 'canary − stable', change: 'canary ÷ stable − 1', percent: 'canary' }[s.style] || '', rules, false, [{ series: [2, 1], fill: fill }]);
  }
  function eChart(el, s) {
    // A clamped e-value is drawn at the edge; the legend tells the real one.
    var real = s.eReal ? function (u, n, si, i) { return eText(s.eReal[i === null || i === undefined ? s.eReal.length - 1 : i]); } : legendValue(eText);
    var series = [{ label: 'e-value', stroke: palette.canary, width: 2, value: real }], columns = [s.e];
    if (s.ni) {
      series.push({ label: 'non-inferiority e-value', stroke: palette.stable, width: 1.5, dash: [6 * px, 3 * px], value: legendValue(eText) });
      columns.push(s.ni);
    }
    var range = function (u, min, max) {
      var lo = Math.min(min === null ? 1 : min, 0.1), hi = Math.max(max === null ? 1 : max, s.threshold * 10);
      return [Math.pow(10, Math.floor(Math.log10(lo))), Math.pow(10, Math.ceil(Math.log10(hi)))];
    };
    seqPlot(el, s, series, columns, { distr: 3, log: 10, range: range }, eText, 'e-value', [{ value: s.threshold, kind: 'bound', label: '1/α = ' + eText(s.threshold), left: true }], true, null, decades);
  }
  seqCharts.forEach(function (s) {
    var cs = document.getElementById(s.id + '-cs'), e = document.getElementById(s.id + '-e');
    if (cs && s.lower) csChart(cs, s);
    if (e) eChart(e, s);
  });
`;
