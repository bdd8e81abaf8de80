/**
 * The trend page's script: draws each experiment's charts with uPlot from the embedded data
 * (trend-data.ts). Plain ES2020, inlined and allowed by its hash in the Content-Security-Policy;
 * user strings reach the page only through textContent and the canvas. Above each plot a band of
 * markers, one per run: a dot coloured by the run's outcome, ringed in red when the regression
 * test flagged it. When done it sets `data-charts="<count>"` on <html> and the performance mark
 * "mesh-exp:charts-drawn" (the browser test waits for them).
 */

import { CHART_FINISH_SCRIPT, LEGEND_VALUE_SCRIPT } from '../html/chart-shared-script.js';

/** The script's source (an IIFE; expects the global `uPlot`). */
export const TREND_SCRIPT = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('trend-data').textContent);
  var css = getComputedStyle(document.documentElement);
  var v = function (name) { return css.getPropertyValue(name).trim(); };
  var fg = v('--fg'), line = v('--line');
  var tones = { good: v('--good'), bad: v('--bad'), warn: v('--warn') };
  var stable = v('--c-stable'), canary = v('--c-canary'), third = v('--c-3');
  var px = uPlot.pxRatio, BAND = 14;
  var charts = [];

${LEGEND_VALUE_SCRIPT}  var ms = function (n) { return n === null || n === undefined ? '' : n >= 1000 ? (n / 1000).toFixed(2) + 's' : n.toFixed(n < 10 ? 1 : 0) + 'ms'; };
  var pct = function (n) { return n === null || n === undefined ? '' : n.toFixed(n < 10 ? 2 : 1) + '%'; };
  var secs = function (n) { return n === null || n === undefined ? '' : n >= 120 ? (n / 60).toFixed(1) + 'min' : n.toFixed(n < 10 ? 1 : 0) + 's'; };

  // One dot per run in the band above the plot: the outcome's colour, a red ring for a regression.
  function markers(exp) {
    return { draw: [function (u) {
      var c = u.ctx, y = u.bbox.top - (BAND / 2) * px, r = 3.5 * px;
      c.save();
      exp.runs.forEach(function (run, i) {
        var x = u.valToPos(exp.x[i], 'x', true);
        c.fillStyle = tones[run.tone] || fg;
        c.beginPath(); c.arc(x, y, r, 0, 2 * Math.PI); c.fill();
        if (run.regressed) { c.strokeStyle = tones.bad; c.lineWidth = 2 * px; c.beginPath(); c.arc(x, y, r + 2.5 * px, 0, 2 * Math.PI); c.stroke(); }
      });
      c.restore();
    }] };
  }
  function plot(el, exp, unit, format, series, columns) {
    var box = document.createElement('div');
    el.appendChild(box);
    var n = exp.x.length;
    var opts = {
      width: Math.max(240, el.clientWidth), height: 200,
      scales: { x: { time: false, range: [0.5, n + 0.5] }, y: { range: function (u, min, max) { return [0, (max || 0) * 1.1 || 1]; } } },
      axes: [
        { stroke: fg, grid: { stroke: line, width: 1 }, ticks: { stroke: line, width: 1 }, incrs: [1, 2, 5, 10, 20, 50, 100], values: function (u, vals) { return vals.map(function (x) { return Number.isInteger(x) ? '#' + x : ''; }); } },
        { stroke: fg, grid: { stroke: line, width: 1 }, ticks: { stroke: line, width: 1 }, label: unit, size: 56, values: function (u, vals) { return vals.map(format); } },
      ],
      series: [{ label: 'run', value: function (u, x, si, i) { if (i === null || i === undefined) return 'latest'; var r = exp.runs[i]; return '#' + x + ' ' + r.started.slice(0, 16).replace('T', ' ') + (r.gameDay ? ' (' + r.gameDay + ')' : '') + ' ' + r.outcome + (r.regressed ? ' REGRESSION' : ''); } }].concat(series),
      padding: [BAND + 4, null, null, null], cursor: { sync: { key: exp.id } }, legend: { live: true }, hooks: markers(exp),
      points: { show: true },
    };
    charts.push({ el: el, u: new uPlot(opts, [exp.x].concat(columns), box) });
  }
  function s(label, color, dash, width, format) {
    return { label: label, stroke: color, width: width, dash: dash.map(function (d) { return d * px; }), value: legendValue(format), points: { show: true, size: 5 } };
  }

  data.experiments.forEach(function (exp) {
    var lat = document.getElementById(exp.id + '-latency'), err = document.getElementById(exp.id + '-errors'), dur = document.getElementById(exp.id + '-duration');
    [lat, err, dur].forEach(function (el) { if (el) el.textContent = ''; });
    if (lat) plot(lat, exp, 'ms', ms, [s('canary p50', canary, [4, 3], 1.25, ms), s('canary p99', canary, [], 2, ms), s('stable p50 (run)', stable, [4, 3], 1.25, ms), s('stable p99 (run)', stable, [], 2, ms)],
      [exp.canaryP50, exp.canaryP99, exp.stableP50, exp.stableP99]);
    if (err) plot(err, exp, '%', pct, [s('canary', canary, [], 2, pct), s('stable (run)', stable, [], 1.5, pct)], [exp.canaryErrors, exp.stableErrors]);
    if (dur) plot(dur, exp, 's', secs, [s('duration', third, [], 2, secs)], [exp.duration]);
  });
${CHART_FINISH_SCRIPT}})();
`;
