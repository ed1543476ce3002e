// The dashboard's live chart: candles, the strategy's entry band and trade markers.
// It loads the whole window once (/api/market) and then appends the tail each live
// "chart" event carries; after a gap (a dropped stream) it reloads the whole window.
(function () {
  'use strict';
  var el = document.getElementById('live-chart');
  var feed = document.getElementById('chart-feed');
  var LC = window.LightweightCharts;
  if (!el || !LC) return;

  var chart = LC.createChart(el, {
    autoSize: true,
    layout: { background: { type: 'solid', color: '#161b22' }, textColor: '#c9d1d9', attributionLogo: false },
    grid: { vertLines: { color: '#21262d' }, horzLines: { color: '#21262d' } },
    timeScale: { timeVisible: true, secondsVisible: false, borderColor: '#2b3340' },
    rightPriceScale: { borderColor: '#2b3340' },
  });
  var candles = chart.addSeries(LC.CandlestickSeries, {
    upColor: '#3fb950', downColor: '#f85149', borderVisible: false, wickUpColor: '#3fb950', wickDownColor: '#f85149',
  });
  var line = function (color, style) {
    return chart.addSeries(LC.LineSeries, {
      color: color, lineWidth: 1, lineStyle: style, priceLineVisible: false, lastValueVisible: false, crosshairMarkerVisible: false,
    });
  };
  var upper = line('#d29922', 0);
  var mean = line('#8b949e', 2);
  var lower = line('#d29922', 0);
  var markers = LC.createSeriesMarkers(candles, []);
  var lastBar = 0;
  var lastBand = 0;
  var loading = false;

  function bandOf(points, key) {
    return points.map(function (p) { return { time: p.time, value: p[key] }; });
  }

  var levels = [];
  // Entry, stop and target of the open position as price lines; redrawn only when they change.
  function level(model) {
    var key = JSON.stringify(model.levels || []);
    if (key === el.dataset.levelsKey) return;
    levels.forEach(function (l) { candles.removePriceLine(l); });
    levels = (model.levels || []).map(function (l) {
      return candles.createPriceLine({ price: l.price, color: l.color, lineWidth: 1, lineStyle: 2, axisLabelVisible: true, title: l.title });
    });
    el.dataset.levelsKey = key;
    el.dataset.levels = String(levels.length);
  }

  function mark(model) {
    markers.setMarkers(model.markers);
    level(model);
    // Read by the browser tests, and handy when debugging: what the chart holds now.
    el.dataset.bars = String(candles.data().length);
    el.dataset.lastTime = String(lastBar);
    el.dataset.markers = String(model.markers.length);
  }

  function setAll(model) {
    candles.setData(model.bars);
    upper.setData(bandOf(model.band, 'upper'));
    mean.setData(bandOf(model.band, 'mean'));
    lower.setData(bandOf(model.band, 'lower'));
    lastBar = model.bars.length ? model.bars[model.bars.length - 1].time : 0;
    lastBand = model.band.length ? model.band[model.band.length - 1].time : 0;
    chart.timeScale().fitContent();
    mark(model);
  }

  function load() {
    loading = true;
    fetch(el.dataset.src, { headers: { accept: 'application/json' } })
      .then(function (r) { return r.json(); })
      .then(setAll)
      .catch(function () { /* the next live event retries */ })
      .then(function () { loading = false; });
  }

  function append(model) {
    if (loading || !model.bars.length) return;
    if (lastBar === 0 || model.bars[0].time > lastBar) return load();
    model.bars.forEach(function (b) { if (b.time >= lastBar) { candles.update(b); lastBar = b.time; } });
    model.band.forEach(function (p) {
      if (p.time < lastBand) return;
      upper.update({ time: p.time, value: p.upper });
      mean.update({ time: p.time, value: p.mean });
      lower.update({ time: p.time, value: p.lower });
      lastBand = p.time;
    });
    mark(model);
  }

  if (feed) {
    feed.addEventListener('htmx:sseMessage', function (e) {
      var data = e.detail && e.detail.data;
      if (typeof data !== 'string' || data === '') return;
      try { append(JSON.parse(data)); } catch (err) { load(); }
    });
  }
  load();
})();
