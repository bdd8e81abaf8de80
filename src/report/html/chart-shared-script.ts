/**
 * What the page scripts that draw uPlot charts share (report.html's and trend.html's): the legend's
 * value function, and the end: keep each chart as wide as its box, then say the charts are drawn.
 * Plain ES2020, pasted into each script's IIFE.
 */

/** Script text: declares `legendValue(format)`, a series' legend value (its last point while the cursor is off the chart). */
export const LEGEND_VALUE_SCRIPT = String.raw`  // uPlot asks a series for its legend value with a null index while the cursor is off the chart
  // (and before the first hover): show the series' last point then, so the legend is never blank.
  function legendValue(format) {
    return function (u, n, si, i) {
      if (i !== null && i !== undefined) return format(n);
      var col = u.data[si];
      for (var j = col.length - 1; j >= 0; j--) if (col[j] !== null && col[j] !== undefined) return format(col[j]);
      return '';
    };
  }
`;

/** Script text (expects `charts`, a list of `{ el, u }`: the box and its uPlot): resizing on layout and print, then `data-charts="<count>"` on <html> and the mark "mesh-exp:charts-drawn". */
export const CHART_FINISH_SCRIPT = String.raw`  // Redraw only charts whose box changed width (ResizeObserver also reports the first layout).
  function resize() {
    charts.forEach(function (c) {
      var w = Math.max(240, c.el.clientWidth);
      if (w !== c.u.width) c.u.setSize({ width: w, height: c.u.height });
    });
  }
  if (typeof ResizeObserver === 'function') new ResizeObserver(resize).observe(document.body);
  window.addEventListener('beforeprint', resize);
  matchMedia('print').addEventListener('change', resize);
  document.documentElement.setAttribute('data-charts', String(charts.length));
  performance.mark('mesh-exp:charts-drawn');
`;
