// The console's own script: instants in the viewer's time zone, charts (uPlot) from the JSON
// the server put beside them, and a confirmation before destructive forms. No inline script runs
// (the Content-Security-Policy forbids it); htmx swaps get the same treatment as the first load.
(function () {
  'use strict';

  function localTimes(root) {
    var lang = document.documentElement.lang || undefined;
    var format = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
    root.querySelectorAll('time[datetime]').forEach(function (el) {
      var iso = el.getAttribute('datetime');
      var d = new Date(iso);
      if (!isNaN(d.getTime())) {
        el.title = iso;
        el.textContent = format.format(d);
      }
    });
  }

  // spec: {"x": [epoch seconds...], "series": [{"label": "...", "values": [...]}], "bars": bool}
  function charts(root) {
    if (typeof uPlot === 'undefined') {
      return;
    }
    root.querySelectorAll('[data-chart]').forEach(function (el) {
      if (el.dataset.drawn) {
        return;
      }
      var source = document.getElementById(el.dataset.chart);
      if (!source) {
        return;
      }
      var spec = JSON.parse(source.textContent);
      el.dataset.drawn = 'yes';
      if (!spec.x.length) {
        el.classList.add('empty');
        return;
      }
      var colours = ['#2f6f4f', '#c0392b', '#2c5f8a', '#b9770e'];
      var series = [{}].concat(spec.series.map(function (s, i) {
        var line = { label: s.label, stroke: colours[i % colours.length], width: 2 };
        if (spec.bars) {
          line.fill = colours[i % colours.length] + '55';
          line.paths = uPlot.paths.bars({ size: [0.6, 40] });
        }
        return line;
      }));
      var data = [spec.x].concat(spec.series.map(function (s) { return s.values; }));
      var width = Math.max(280, el.clientWidth || 600);
      new uPlot({ width: width, height: 220, series: series, scales: { x: { time: true } } }, data, el);
    });
  }

  function confirmations(root) {
    root.querySelectorAll('form[data-confirm]').forEach(function (form) {
      if (form.dataset.confirmBound) {
        return;
      }
      form.dataset.confirmBound = 'yes';
      form.addEventListener('submit', function (e) {
        if (!window.confirm(form.dataset.confirm)) {
          e.preventDefault();
        }
      });
    });
  }

  function enhance(root) {
    localTimes(root);
    charts(root);
    confirmations(root);
  }

  document.addEventListener('DOMContentLoaded', function () { enhance(document); });
  // After htmx swaps part of a page in (the lead search), the same for the whole page: each step
  // is idempotent (times are read from their datetime attribute, charts and forms are marked).
  document.addEventListener('htmx:afterSettle', function () { enhance(document); });
})();
