/**
 * The page script that draws the report's charts with uPlot from the embedded chart data
 * (chart-data.ts), and the sequential-analysis charts (sequential-script.ts, sequential-data.ts). Plain ES2020 for the browser, kept as text: it is inlined and allowed by its
 * hash in the Content-Security-Policy. It writes user strings only through textContent and the
 * canvas (never as markup), and touches styles only through the CSSOM, which the CSP allows.
 * When done it sets `data-charts="<count>"` on <html> and the performance mark
 * "mesh-exp:charts-drawn" (the browser tests and the benchmark wait for them; the benchmark also
 * reads "mesh-exp:charts-start").
 */
import { CHART_FINISH_SCRIPT, LEGEND_VALUE_SCRIPT } from './chart-shared-script.js';
import { NOTES_SCRIPT } from './chart-notes.js';
import { SEQUENTIAL_SCRIPT } from './sequential-script.js';

/** The script's source (an IIFE; expects the global `uPlot`). */
export const CHART_SCRIPT = String.raw`(function () {
  'use strict';
  performance.mark('mesh-exp:charts-start');
  var data = JSON.parse(document.getElementById('chart-data').textContent);
  var css = getComputedStyle(document.documentElement);
  var v = function (name) { return css.getPropertyValue(name).trim(); };
  var fg = v('--fg'), muted = v('--muted'), line = v('--line');
  var palette = { stable: v('--c-stable'), canary: v('--c-canary'), all: muted };
  var others = [v('--c-3'), v('--c-4'), v('--c-5')];
  var px = uPlot.pxRatio;
  var charts = [];

  function colorOf(s, i) { return palette[s.role] || others[i % others.length]; }
  function clock(t) {
    var s = Math.max(0, Math.round(t)), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    var mm = h > 0 && m < 10 ? '0' + m : String(m);
    return (h > 0 ? h + ':' : '') + mm + ':' + (r < 10 ? '0' : '') + r;
  }
${LEGEND_VALUE_SCRIPT}  function ratio(num, den) { return num.map(function (n, i) { return den[i] > 0 ? (100 * n) / den[i] : null; }); }
  function upTo(extra) { return function (u, min, max) { return [0, Math.max(max || 0, extra || 0) * 1.1 || 1]; }; }

  function overlay(limits) {
    return {
      drawClear: [function (u) {
        var c = u.ctx, b = u.bbox;
        c.save();
        data.changes.forEach(function (ch) {
          var x0 = u.valToPos(ch.from, 'x', true), x1 = u.valToPos(ch.to === null ? data.end : ch.to, 'x', true);
          c.fillStyle = ch.kind === 'fault' ? 'rgba(207,34,46,0.09)' : 'rgba(9,105,218,0.08)';
          c.fillRect(x0, b.top, Math.max(1, x1 - x0), b.height);
        });
        c.restore();
      }],
      draw: [function (u) {
        var c = u.ctx;
        c.save();
        c.lineWidth = px;
        c.setLineDash([4 * px, 4 * px]);
        data.steps.forEach(function (s) { vline(u, s.at, muted); });
        data.marks.forEach(function (m) { vline(u, m.at, fg); });
        c.restore();
        drawNotes(u, limits);
      }],
    };
  }
  // Up through the label band too, so each label in the band stands beside its line.
  function vline(u, at, color) {
    var c = u.ctx, b = u.bbox, x = Math.round(u.valToPos(at, 'x', true));
    c.strokeStyle = color; c.beginPath(); c.moveTo(x, b.top - NOTE_BAND * px); c.lineTo(x, b.top + b.height); c.stroke();
  }
${NOTES_SCRIPT}
  function axes(unit, format) {
    var common = { stroke: fg, grid: { stroke: line, width: 1 }, ticks: { stroke: line, width: 1 } };
    return [
      // Whole seconds only: ticks every 1, 2, 5 … s up to an hour.
      Object.assign({ incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200], values: function (u, vals) { return vals.map(clock); } }, common),
      Object.assign({ label: unit, size: 56, values: function (u, vals) { return vals.map(format); } }, common),
    ];
  }
  function plot(el, title, unit, format, series, columns, limits, range, heightPx) {
    var box = document.createElement('div');
    if (title) { var h = document.createElement('h3'); h.textContent = title; box.appendChild(h); }
    el.appendChild(box);
    var opts = {
      width: Math.max(240, el.clientWidth), height: heightPx || 220,
      scales: { x: { time: false, range: [0, Math.max(data.end, 1)] }, y: { range: range } },
      axes: axes(unit, format), series: [{ label: 'since start', value: function (u, t, si, i) { return i === null || i === undefined ? 'latest' : clock(t); } }].concat(series),
      padding: [NOTE_BAND, null, null, null], cursor: { sync: { key: 'run' } }, legend: { live: true }, hooks: overlay(limits),
    };
    charts.push({ el: el, u: new uPlot(opts, [data.x].concat(columns), box) });
  }
  var ms = function (n) { return n === null ? '' : n >= 1000 ? (n / 1000).toFixed(2) + 's' : n.toFixed(n < 10 ? 1 : 0) + 'ms'; };
  var pct = function (n) { return n === null ? '' : n.toFixed(n < 10 ? 1 : 0) + '%'; };

  function weightChart(el) {
    var all = data.versions.filter(function (s) { return s.name === 'all'; })[0];
    var canary = data.versions.filter(function (s) { return s.name === data.canary; })[0];
    var series = [{ label: 'weight set', stroke: fg, width: 2, paths: uPlot.paths.stepped({ align: 1 }), value: legendValue(pct) }];
    var columns = [data.weight];
    if (all && canary) {
      series.push({ label: canary.name + ' share seen', stroke: palette.canary, width: 1.5, value: legendValue(pct) });
      columns.push(ratio(canary.count, all.count));
    }
    plot(el, '', '%', pct, series, columns, [], function () { return [0, 105]; });
  }
  function latencyCharts(el) {
    data.versions.forEach(function (s, i) {
      var color = colorOf(s, i);
      var limits = data.limits.filter(function (l) { return l.kind === 'latency' && l.version === s.name; })
        .map(function (l) { return { value: l.value, label: l.percentile + ' SLO ≤ ' + ms(l.value) }; });
      var top = Math.max.apply(null, limits.map(function (l) { return l.value; }).concat([0]));
      var series = [['p50', [2, 3], 1], ['p95', [6, 3], 1.25], ['p99', [], 2]].map(function (p) {
        return { label: p[0], stroke: color, dash: p[1].map(function (d) { return d * px; }), width: p[2], value: legendValue(ms) };
      });
      plot(el, s.name === 'all' ? 'all versions' : s.role === 'other' ? s.label : s.label + ' (' + s.role + ')', 'ms', ms, series, [s.p50, s.p95, s.p99], limits, upTo(top));
    });
  }
  function errorChart(el) {
    var limits = data.limits.filter(function (l) { return l.kind === 'error-rate'; })
      .map(function (l) { return { value: 100 * l.value, label: l.version + ' SLO ≤ ' + pct(100 * l.value) }; });
    var top = Math.max.apply(null, limits.map(function (l) { return l.value; }).concat([0]));
    var series = data.versions.map(function (s, i) { return { label: s.label, stroke: colorOf(s, i), width: s.role === 'all' ? 1 : 1.5, value: legendValue(pct) }; });
    plot(el, '', '%', pct, series, data.versions.map(function (s) { return ratio(s.errors, s.count); }), limits, upTo(top));
  }

  var targets = { 'chart-weight': weightChart, 'chart-latency': latencyCharts, 'chart-errors': errorChart };
  Object.keys(targets).forEach(function (id) {
    var el = document.getElementById(id);
    if (!el) return;
    el.textContent = data.x.length ? '' : 'No per-second figures in this result.';
    if (data.x.length) targets[id](el);
  });
${SEQUENTIAL_SCRIPT}${CHART_FINISH_SCRIPT}})();
`;
