// A stored run's equity curve and its drawdown from the running peak, from /api/runs/:id/equity.
(function () {
  'use strict';
  var eq = document.getElementById('equity-chart');
  var dd = document.getElementById('drawdown-chart');
  var LC = window.LightweightCharts;
  if (!eq || !LC) return;
  var options = {
    autoSize: true,
    layout: { background: { type: 'solid', color: '#161b22' }, textColor: '#c9d1d9', attributionLogo: false },
    grid: { vertLines: { color: '#21262d' }, horzLines: { color: '#21262d' } },
    timeScale: { borderColor: '#2b3340' },
    rightPriceScale: { borderColor: '#2b3340' },
  };
  fetch(eq.dataset.src, { headers: { accept: 'application/json' } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var equity = LC.createChart(eq, options);
      equity.addSeries(LC.AreaSeries, { lineColor: '#58a6ff', topColor: 'rgba(88,166,255,0.35)', bottomColor: 'rgba(88,166,255,0.02)', lineWidth: 2 }).setData(data.equity);
      equity.timeScale().fitContent();
      eq.dataset.points = String(data.equity.length);
      if (!dd) return;
      var drawdown = LC.createChart(dd, options);
      drawdown.addSeries(LC.AreaSeries, { lineColor: '#f85149', topColor: 'rgba(248,81,73,0.02)', bottomColor: 'rgba(248,81,73,0.35)', lineWidth: 1, invertFilledArea: true }).setData(data.drawdown);
      drawdown.timeScale().fitContent();
      dd.dataset.points = String(data.drawdown.length);
    });
})();
