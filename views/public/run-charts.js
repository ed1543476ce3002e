// A stored run's charts from /backtests/:id/charts.json: equity, its drawdown from the running peak,
// and the price with every trade's entry, exit (by reason), stop and target. Times arrive already in
// the zone the page was asked for (UTC or New York), as the seconds the chart library expects.
// On the compare page, several runs' equity on one chart from /backtests/compare.json.
(function () {
  'use strict';
  var LC = window.LightweightCharts;
  if (!LC) return;
  var options = {
    autoSize: true,
    layout: { background: { type: 'solid', color: '#161b22' }, textColor: '#c9d1d9', attributionLogo: false },
    grid: { vertLines: { color: '#21262d' }, horzLines: { color: '#21262d' } },
    timeScale: { borderColor: '#2b3340', timeVisible: true, secondsVisible: false },
    rightPriceScale: { borderColor: '#2b3340' },
  };
  function load(el) {
    return fetch(el.dataset.src, { headers: { accept: 'application/json' } }).then(function (r) { return r.json(); });
  }

  var eq = document.getElementById('equity-chart');
  if (eq) {
    load(eq).then(function (data) {
      var equity = LC.createChart(eq, options);
      equity.addSeries(LC.AreaSeries, { lineColor: '#58a6ff', topColor: 'rgba(88,166,255,0.35)', bottomColor: 'rgba(88,166,255,0.02)', lineWidth: 2 }).setData(data.equity);
      equity.timeScale().fitContent();
      eq.dataset.points = String(data.equity.length);
      eq.dataset.first = data.equity.length ? String(data.equity[0].value) : '';
      var dd = document.getElementById('drawdown-chart');
      if (dd) {
        var drawdown = LC.createChart(dd, options);
        drawdown.addSeries(LC.AreaSeries, { lineColor: '#f85149', topColor: 'rgba(248,81,73,0.02)', bottomColor: 'rgba(248,81,73,0.35)', lineWidth: 1, invertFilledArea: true }).setData(data.drawdown);
        drawdown.timeScale().fitContent();
        dd.dataset.points = String(data.drawdown.length);
        dd.dataset.lowest = String(data.drawdown.reduce(function (m, p) { return Math.min(m, p.value); }, 0));
      }
      var pc = document.getElementById('price-chart');
      if (pc && data.price) {
        var price = LC.createChart(pc, options);
        var candles = price.addSeries(LC.CandlestickSeries, { upColor: '#3fb950', downColor: '#f85149', borderVisible: false, wickUpColor: '#3fb950', wickDownColor: '#f85149' });
        candles.setData(data.price.candles);
        var line = { lineWidth: 1, lineStyle: 2, priceLineVisible: false, lastValueVisible: false, pointMarkersVisible: true, pointMarkersRadius: 1 };
        price.addSeries(LC.LineSeries, Object.assign({ color: '#f85149' }, line)).setData(data.price.stops);
        price.addSeries(LC.LineSeries, Object.assign({ color: '#3fb950' }, line)).setData(data.price.targets);
        LC.createSeriesMarkers(candles, data.price.markers);
        price.timeScale().fitContent();
        pc.dataset.candles = String(data.price.candles.length);
        pc.dataset.markers = String(data.price.markers.length);
      }
    });
  }

  var cmp = document.getElementById('compare-chart');
  if (cmp) {
    var colours = ['#58a6ff', '#f0883e', '#3fb950', '#d2a8ff', '#e3b341', '#ff7b72', '#79c0ff', '#56d364'];
    load(cmp).then(function (data) {
      var chart = LC.createChart(cmp, Object.assign({}, options, { leftPriceScale: { visible: false } }));
      data.runs.forEach(function (run, i) {
        chart.addSeries(LC.LineSeries, { color: colours[i % colours.length], lineWidth: 2, title: run.label }).setData(run.equity);
      });
      chart.timeScale().fitContent();
      cmp.dataset.series = String(data.runs.length);
    });
  }
})();
